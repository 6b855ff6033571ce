import type { LoadInput, SessionData, SessionHandle } from '@sess/core'
import { getCookieValues } from '@sess/core'
import type { FastifyRequest } from 'fastify'
import type { PluginContext } from './context.js'
import type { UnsignResult } from './signer.js'
import { SessionState } from './session-state.js'

/**
 * Loads the session a signed cookie value names (or a new one) for `request`: synchronously when core can (a cached
 * signature, a store that answers synchronously such as the memory store), else a Promise of it. Never throws: a
 * failure is a rejected Promise.
 */
export function load(
  ctx: PluginContext,
  request: FastifyRequest,
  value: string | undefined,
): SessionState | Promise<SessionState> {
  try {
    const unsigned = value === undefined ? undefined : ctx.signer.unsign(value)
    const id = unsigned?.valid ? (unsigned.value ?? undefined) : undefined
    const generate = ctx.idGenerator
    const input: LoadInput = {
      verifiedId: id,
      generateId: generate && (() => generate(request)),
      maxAge: ctx.subSecondMaxAge,
    }
    // (Not a spread in the literal: V8 builds such a literal by its generic path, a slower and larger object.)
    if (ctx.inputs !== undefined) Object.assign(input, ctx.inputs(request))
    const opened = ctx.manager.open(input)
    // (A closure only when the load is asynchronous.)
    return opened instanceof Promise
      ? opened.then((handle) => stateOf(ctx, request, value, unsigned, handle))
      : stateOf(ctx, request, value, unsigned, opened)
  } catch (error) {
    return Promise.reject(error)
  }
}

/** The plugin's state around a loaded handle. */
function stateOf(
  ctx: PluginContext,
  request: FastifyRequest,
  value: string | undefined,
  unsigned: UnsignResult | undefined,
  handle: SessionHandle<SessionData>,
): SessionState {
  // Only a value the first secret verified can be sent again as it is (an older secret's is re-signed).
  const verifiedId = unsigned?.valid && !unsigned.renew ? (unsigned.value ?? undefined) : undefined
  return new SessionState(ctx, handle, request, {
    requestValue: value,
    https: request.protocol === 'https',
    verifiedId,
  })
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
