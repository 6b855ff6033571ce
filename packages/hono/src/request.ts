import type { LoadInput } from '@sess/core'
import type { Context } from 'hono'
import type { HonoSessionOptions } from './options.js'

const forwardedProto = (c: Context): string | undefined =>
  c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()

/** Whether the request is HTTPS: its URL, or `X-Forwarded-Proto` from a trusted proxy. */
export function isSecure(c: Context, trustProxy: boolean): boolean {
  const proto = trustProxy ? forwardedProto(c) : undefined
  return proto ? proto === 'https' : c.req.url.startsWith('https:')
}

/** The request's device for the opt-in `device` option: read only when enabled. */
export function deviceOf<Data extends object>(c: Context, options: HonoSessionOptions<Data>): Partial<LoadInput> {
  const { device, trustProxy, clientIp } = options
  const forwarded = device?.ip && trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined
  return {
    userAgent: device?.userAgent ? c.req.header('user-agent') : undefined,
    ip: device?.ip ? forwarded || clientIp?.(c) : undefined,
  }
}

/** What diagnostics need (only read when someone observes events): the path, and an untrusted HTTPS proxy. */
export function diagnosticsOf(c: Context, trustProxy: boolean): Partial<LoadInput> {
  return { path: c.req.path, untrustedHttps: !trustProxy && forwardedProto(c) === 'https' }
}
