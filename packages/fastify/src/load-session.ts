import { getCookieValues } from '@sess/core'
import type { FastifyRequest } from 'fastify'
import type { PluginContext } from './context.js'
import { coreCookie } from './context.js'
import { SessionState } from './session-state.js'

/** Loads the session a signed cookie value names (or a new one) for `request`. */
export async function load(
  ctx: PluginContext,
  request: FastifyRequest,
  value: string | undefined,
): Promise<SessionState> {
  const unsigned = value === undefined ? undefined : ctx.signer.unsign(value)
  const id = unsigned?.valid ? (unsigned.value ?? undefined) : undefined
  const generate = ctx.idGenerator
  const handle = await ctx.manager.load({
    cookie: id === undefined ? undefined : coreCookie(id),
    generateId: generate && (() => generate(request)),
    maxAge: ctx.subSecondMaxAge,
    ...ctx.inputs?.(request),
  })
  const https = request.protocol === 'https'
  const verifiedId = unsigned?.renew ? undefined : id
  return new SessionState(ctx, handle, request, { requestValue: value, https, verifiedId })
}

/** The request's session cookie value, prefix removed: the first one that verifies, else the first one. */
export function cookieValue(ctx: PluginContext, request: FastifyRequest): string | undefined {
  const values = getCookieValues(request.headers.cookie, ctx.cookieName)
  let first: string | undefined
  for (const raw of values) {
    if (!raw.startsWith(ctx.prefix)) continue
    const value = raw.slice(ctx.prefix.length)
    if (values.length === 1 || ctx.signer.unsign(value).valid) return value
    first ??= value
  }
  return first
}

/** As @fastify/session: the cookie's path covers `url` (exactly, or as a directory prefix). */
export function inPath(url: string, path: string): boolean {
  const query = url.indexOf('?')
  const p = query === -1 ? url : url.slice(0, query)
  if (p === path || path === '/') return true
  return p.length > path.length && p.startsWith(path) && (p[path.length] === '/' || path.endsWith('/'))
}
