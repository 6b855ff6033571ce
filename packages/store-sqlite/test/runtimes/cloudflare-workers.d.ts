// The part of `cloudflare:workers` the D1 test entry uses, so the package typechecks without @cloudflare/workers-types.
declare module 'cloudflare:workers' {
  export const env: Record<string, unknown>
}
