import type { LoadInput, SessionData, SessionHandle } from '@sess/core'
import { createSessionLoader } from '@sess/core'
import type { Context, MiddlewareHandler } from 'hono'
import { checkOptions, secretOf } from './checks.js'
import { deviceOf, diagnosticsOf, isSecure } from './request.js'
import type { HonoSessionOptions, LazySessionEnv, SessionEnv } from './options.js'

type Opened<Data extends object> = SessionHandle<Data> | Promise<SessionHandle<Data>>

/**
 * Loads the request's session (synchronously when core can: a memory store read then costs no await); a secret from
 * the context goes to core per request (core caches its keys).
 */
function sessionLoader<Data extends object>(options: HonoSessionOptions<Data>): (c: Context) => Opened<Data> {
  checkOptions(options)
  const { secret, trustProxy, clientIp, ...rest } = options
  const diagnose = rest.onEvent !== undefined
  const perRequest = typeof secret === 'function' ? secret : undefined
  const device = options.device?.userAgent === true || options.device?.ip === true
  // A static secret is validated at setup, so a bad config fails at boot rather than on the first request.
  let manager = perRequest ? undefined : createSessionLoader<Data>({ ...rest, secret: secret as string })
  return (c) => {
    const s = perRequest ? secretOf(perRequest, c) : undefined
    manager ??= createSessionLoader<Data>({ ...rest, secret: s as string })
    const input: LoadInput = { cookie: c.req.header('cookie'), secure: isSecure(c, trustProxy === true), secret: s }
    if (diagnose) Object.assign(input, diagnosticsOf(c, trustProxy === true))
    return manager.open(device ? { ...input, ...deviceOf(c, options) } : input)
  }
}

/** Appends the commit's Set-Cookie values; the Promise only when a store call was due (reads finish synchronously). */
function finish(c: Context, handle: SessionHandle<object>): Promise<void> | undefined {
  const result = handle.finish()
  if (result instanceof Promise) return result.then((r) => void append(c, r.setCookie))
  append(c, result.setCookie)
  return undefined
}

// On the finished response's own headers, as Hono's middleware do: c.header() after the handler rebuilds the Response
// (about 25 µs a request on @hono/node-server). Headers of a response from fetch() are immutable: only then rebuild.
function append(c: Context, values: string[]): void {
  for (const value of values) {
    try {
      c.res.headers.append('Set-Cookie', value)
    } catch {
      c.header('Set-Cookie', value, { append: true })
    }
  }
}

/**
 * Session middleware: loads the session before the handler and commits it after, appending `Set-Cookie`.
 * Store errors are thrown into Hono's error path (`app.onError`).
 * @example `app.use(session({ secret: (c) => c.env.SESSION_SECRET, store: memoryStore() }))`
 */
export function session<Data extends object = SessionData>(
  options: HonoSessionOptions<Data>,
): MiddlewareHandler<SessionEnv<Data>> {
  const load = sessionLoader(options)
  return async (c, next) => {
    const opened = load(c)
    const handle = opened instanceof Promise ? await opened : opened
    c.set('session', handle.session)
    await next()
    const pending = finish(c, handle)
    if (pending) await pending
  }
}

/**
 * Like {@link session}, but the store is not read until the handler calls `c.get('getSession')()`; routes that
 * never ask cost nothing.
 */
export function lazySession<Data extends object = SessionData>(
  options: HonoSessionOptions<Data>,
): MiddlewareHandler<LazySessionEnv<Data>> {
  const load = sessionLoader(options)
  return async (c, next) => {
    let loading: Opened<Data> | undefined
    c.set('getSession', async () => {
      loading ??= load(c)
      return (await loading).session
    })
    await next()
    if (loading === undefined) return
    const pending = finish(c, loading instanceof Promise ? await loading : loading)
    if (pending) await pending
  }
}
