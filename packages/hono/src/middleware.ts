import type { SessionData, SessionHandle, SessionManager, SessionManagerOptions } from '@sess/core'
import type { Session } from '@sess/core'
import { createSessionManager } from '@sess/core'
import type { Context, MiddlewareHandler } from 'hono'

/** Hono `Env` for {@link session}: `c.get('session')` is the request's session. */
export interface SessionEnv<Data extends object = SessionData> {
  Variables: { session: Session<Data> }
}

/** Hono `Env` for {@link lazySession}: `await c.get('getSession')()` loads the session on first use. */
export interface LazySessionEnv<Data extends object = SessionData> {
  Variables: { getSession: () => Promise<Session<Data>> }
}

/** Options of the Hono middleware: the core options, with a secret that may come from the runtime's bindings. */
export interface HonoSessionOptions<Data extends object = SessionData>
  extends Omit<SessionManagerOptions<Data>, 'secret'> {
  /**
   * Secret(s), or a function of the context returning them, e.g. `(c) => c.env.SESSION_SECRET` on Workers, where
   * bindings exist only per request. Keys are imported once per distinct secret, not per request.
   */
  secret: string | readonly string[] | ((c: Context) => string | readonly string[])
  /** Take `X-Forwarded-Proto` into account when deciding whether the request is HTTPS. @default false */
  trustProxy?: boolean | undefined
}

type Secret = string | readonly string[]
const MAX_MANAGERS = 8

function managerSource<Data extends object>(options: HonoSessionOptions<Data>): (c: Context) => SessionManager<Data> {
  const { secret, trustProxy: _, ...rest } = options
  const build = (s: Secret): SessionManager<Data> => createSessionManager<Data>({ ...rest, secret: s })
  // A static secret is validated at setup, so a bad config fails at boot rather than on the first request.
  if (typeof secret !== 'function') {
    const manager = build(secret)
    return () => manager
  }
  const managers = new Map<string, SessionManager<Data>>()
  return (c) => {
    const s = secret(c)
    const key = typeof s === 'string' ? s : s.join('\u0000')
    let manager = managers.get(key)
    if (manager === undefined) {
      manager = build(s)
      if (managers.size >= MAX_MANAGERS) managers.delete(managers.keys().next().value as string)
      managers.set(key, manager)
    }
    return manager
  }
}

function isSecure(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) {
    const proto = c.req.header('x-forwarded-proto')
    if (proto) return proto.split(',')[0]?.trim().toLowerCase() === 'https'
  }
  return c.req.url.startsWith('https:')
}

/** Loads the request's session with the manager its secret selects; shared by both middlewares. */
function sessionLoader<Data extends object>(
  options: HonoSessionOptions<Data>,
): (c: Context) => Promise<SessionHandle<Data>> {
  const managerFor = managerSource(options)
  const trustProxy = options.trustProxy === true
  return (c) => managerFor(c).load({ cookie: c.req.header('cookie'), secure: isSecure(c, trustProxy) })
}

/** Commits and appends Set-Cookie; synchronous (undefined) when no store call is due, as on a read. */
function finish(c: Context, handle: SessionHandle<object>): Promise<void> | undefined {
  const now = handle.commitSync()
  if (now !== undefined) {
    appendCookies(c, now.setCookie)
    return undefined
  }
  return handle.commit().then(({ setCookie }) => appendCookies(c, setCookie))
}

function appendCookies(c: Context, values: string[]): void {
  for (const value of values) {
    // On the finished response's own headers, as Hono's middleware do: c.header() after the handler rebuilds the
    // Response, which on @hono/node-server turns its lightweight response into a full one (about 25 µs a request).
    // Headers of a response from fetch() are immutable; only then rebuild.
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
 *
 * @example
 * ```ts
 * const app = new Hono<SessionEnv<{ views: number }>>()
 * app.use(session({ secret: (c) => c.env.SESSION_SECRET, store: memoryStore() }))
 * app.get('/', (c) => {
 *   const s = c.get('session')
 *   s.set('views', (s.get('views') ?? 0) + 1)
 *   return c.text(`views: ${s.get('views')}`)
 * })
 * ```
 */
export function session<Data extends object = SessionData>(
  options: HonoSessionOptions<Data>,
): MiddlewareHandler<SessionEnv<Data>> {
  const load = sessionLoader(options)
  return async (c, next) => {
    const handle = await load(c)
    c.set('session', handle.session)
    await next()
    const pending = finish(c, handle)
    if (pending !== undefined) await pending
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
    let loading: Promise<SessionHandle<Data>> | undefined
    c.set('getSession', async () => {
      loading ??= load(c)
      return (await loading).session
    })
    await next()
    if (loading === undefined) return
    const pending = finish(c, await loading)
    if (pending !== undefined) await pending
  }
}
