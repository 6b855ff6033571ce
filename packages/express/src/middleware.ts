import { createHmac } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { SessionManager, SessionManagerOptions, Store as CoreStore } from '@sess/core'
import { createSessionManager, SessionConfigError } from '@sess/core'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { CookieOptions } from './internal/compat.js'
import { attachSession, Cookie, destroyedByApi, Session } from './internal/compat.js'
import type { ExpressStoreLike, StoreConstructor } from './internal/stores.js'
import { fromExpressStore, isExpressStore, MemoryStore, nativeStore, Store } from './internal/stores.js'

/** Options of {@link session}: express-session's, with its defaults and milliseconds, plus a few of sess's own. */
export interface SessionOptions
  extends Pick<
    SessionManagerOptions<object>,
    'failOpen' | 'strict' | 'schema' | 'onInvalidData' | 'onEvent' | 'clock'
  > {
  /** Secret(s) signing the cookie; the first signs, all verify (rotation). Short secrets are accepted, as before. */
  secret: string | readonly string[]
  /** The session cookie's name. @default 'connect.sid' */
  name?: string | undefined
  /** A sess store, or any express-session store (connect-redis, connect-mongo, ...). @default new MemoryStore() */
  store?: CoreStore | ExpressStoreLike | undefined
  /** Cookie attributes, or a function of the request returning them. @default { path: '/', httpOnly: true, maxAge: null } */
  cookie?: CookieOptions | ((req: Request) => CookieOptions) | undefined
  /** Generates new session ids. @default 192 random bits, base64url */
  genid?: ((req: Request) => string) | undefined
  /** Trust `X-Forwarded-Proto` (`true`), never (`false`), or follow Express's `trust proxy` (unset). @default undefined */
  proxy?: boolean | undefined
  /** Refresh the expiry of every session on every request (sess never rewrites unchanged data). @default true */
  resave?: boolean | undefined
  /** Send the cookie and refresh the expiry on every response. @default false */
  rolling?: boolean | undefined
  /** Store and send a cookie for new sessions nothing was written to. @default true */
  saveUninitialized?: boolean | undefined
  /** What unsetting `req.session` does: `'destroy'` deletes the session, `'keep'` leaves the stored one. @default 'keep' */
  unset?: 'destroy' | 'keep' | undefined
  /** Idle timeout of browser-session cookies (no `cookie.maxAge`), ms; with `maxAge`, that is the idle timeout. @default 86400000 */
  idleTimeout?: number | undefined
  /** Absolute lifetime from creation, ms, never extended by activity; `null` for none. @default null */
  absoluteTimeout?: number | null | undefined
  /** Minimum extension, ms, before an unmodified session is touched. @default a tenth of the idle timeout, 0 when rolling */
  touchAfter?: number | undefined
  /** How long a store call may take before the request fails with `STORE_TIMEOUT`, ms; 0 waits forever. @default 5000 */
  storeTimeout?: number | undefined
}

/** `session` with express-session's classes attached, as `require('express-session')` has them. */
export interface SessionMiddlewareFactory {
  (options: SessionOptions): RequestHandler
  readonly Store: StoreConstructor
  readonly MemoryStore: typeof MemoryStore
  readonly Cookie: typeof Cookie
  readonly Session: typeof Session
}

const MAX_MANAGERS = 8
const seconds = (ms: number | null | undefined): number | undefined => (ms == null ? undefined : ms / 1000)
// node:crypto's HMAC is synchronous, so the cookie can be signed inside the writeHead hook.
const hmacSync = (secret: string, data: string): string =>
  createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')

function createMiddleware(options: SessionOptions): RequestHandler {
  const { name = 'connect.sid', cookie = {}, genid, proxy, unset = 'keep', resave = true } = options
  if (unset !== 'keep' && unset !== 'destroy') {
    throw new SessionConfigError('OPTION_INVALID', "[sess] [express] unset must be 'destroy' or 'keep'.")
  }
  const sessionStore = options.store ?? new MemoryStore()
  const lifetime = (c: CookieOptions): number | null =>
    c.maxAge ?? (c.expires ? c.expires.getTime() - Date.now() : null)
  const base = typeof cookie === 'function' ? {} : cookie
  const store: CoreStore =
    nativeStore(sessionStore) ??
    (isExpressStore(sessionStore)
      ? fromExpressStore(sessionStore, {
          attributes: { path: base.path ?? '/', httpOnly: base.httpOnly ?? true, domain: base.domain },
          maxAge: lifetime(base),
          now: () => options.clock?.now() ?? Date.now(),
        })
      : (sessionStore as CoreStore))

  const build = (c: CookieOptions, secure: boolean): SessionManager<object> => {
    const maxAge = lifetime(c)
    const sameSite = c.sameSite === 'auto' ? (secure ? 'none' : 'lax') : c.sameSite === true ? 'strict' : c.sameSite
    const { secret, rolling, failOpen, strict, schema, onInvalidData, onEvent, clock } = options
    return createSessionManager<object>({
      ...{ secret, rolling, failOpen, strict, schema, onInvalidData, onEvent, clock },
      store,
      minSecretLength: 1,
      hmacSync,
      saveUninitialized: options.saveUninitialized ?? true,
      idleTimeout: seconds(maxAge ?? options.idleTimeout),
      absoluteTimeout: seconds(options.absoluteTimeout),
      touchAfter: seconds(options.touchAfter),
      storeTimeout: seconds(options.storeTimeout),
      cookie: {
        name,
        path: c.path,
        domain: c.domain,
        httpOnly: c.httpOnly ?? true,
        // express-session never marks a cookie Secure unless told; SameSite=None needs Secure, so 'auto' gets it.
        secure: sameSite === 'none' && !c.secure ? 'auto' : (c.secure ?? false),
        sameSite: sameSite === undefined ? 'lax' : sameSite,
        partitioned: c.partitioned,
        priority: c.priority,
        persistent: maxAge !== null,
      },
    })
  }
  // One manager per distinct cookie configuration (a cookie function, sameSite 'auto'), created once, bounded.
  const managers = new Map<string, SessionManager<object>>()
  const managerFor = (c: CookieOptions, secure: boolean): SessionManager<object> => {
    const key = `${c.sameSite === 'auto' && secure}${typeof cookie === 'function' ? JSON.stringify(c) : ''}`
    let manager = managers.get(key)
    if (manager === undefined) {
      manager = build(c, secure)
      if (managers.size >= MAX_MANAGERS) managers.delete(managers.keys().next().value as string)
      managers.set(key, manager)
    }
    return manager
  }
  // Validate static options at setup, so a bad config fails at boot rather than on the first request.
  if (typeof cookie !== 'function') managerFor(cookie, false)

  return function session(req: Request, res: Response, next: NextFunction): void {
    const c = typeof cookie === 'function' ? cookie(req) : cookie
    const pathname = (req.originalUrl ?? req.url).split('?')[0] as string
    // Already has a session (nested middleware), or outside the cookie's path: no session, as express-session.
    if (req.session || !pathname.startsWith(c.path ?? '/')) {
      next()
      return
    }
    const secure = isSecure(req, proxy)
    const manager = managerFor(c, secure)
    req.sessionStore = sessionStore
    manager.load({ cookie: req.headers.cookie, secure, generateId: genid && (() => genid(req)) }).then((handle) => {
      const sess = attachSession(handle.session, manager, req, {
        now: () => manager.options.clock.now(),
        maxAge: lifetime(c),
      })
      req.session = sess
      Object.defineProperty(req, 'sessionID', {
        get: () => handle.session.id,
        set: () => {},
        enumerable: true,
        configurable: true,
      })
      // express-session's resave: keep the session alive on every request (a touch, never a rewrite).
      if (resave && !handle.session.isNew) handle.session.touch()
      // Over plain HTTP a `secure: true` cookie is not sent at all (express-session); the session is still saved.
      const allowed = (values: string[]): string[] => (c.secure === true && !secure ? [] : values)
      const unsetByApp = (): boolean => req.session !== sess && !destroyedByApi(sess)
      hookResponse(res, next, {
        peek: () => (unsetByApp() && unset === 'keep' ? [] : allowed(handle.peekSetCookie() ?? [])),
        commit: async () => {
          if (unsetByApp()) {
            if (unset === 'keep') return []
            await handle.session.destroy()
          }
          return allowed((await handle.commit()).setCookie)
        },
      })
      next()
    }, next)
  }
}

/** Appends Set-Cookie when headers are written and holds `res.end` until the store write has completed. */
function hookResponse(
  res: ServerResponse,
  next: NextFunction,
  session: { peek(): string[]; commit(): Promise<string[]> },
): void {
  const { end } = res
  const writeHead = res.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse
  let committed: string[] | undefined
  let ending = false
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    res.writeHead = writeHead as typeof res.writeHead
    const reason = typeof rest[0] === 'string' ? rest.shift() : undefined
    // Apply the headers passed here first, or they would replace the cookies appended below (as on-headers does).
    const headers = rest[0] as Record<string, string | string[]> | [string, string][] | string[] | undefined
    if (Array.isArray(headers) && headers.length > 0 && !Array.isArray(headers[0])) {
      for (let i = 0; i < headers.length; i += 2) this.appendHeader(headers[i] as string, headers[i + 1] as string)
    } else if (headers) {
      for (const [key, value] of Array.isArray(headers) ? (headers as [string, string][]) : Object.entries(headers)) {
        this.setHeader(key, value)
      }
    }
    for (const value of committed ?? session.peek()) this.appendHeader('Set-Cookie', value)
    return reason === undefined ? writeHead.call(this, status) : writeHead.call(this, status, reason)
  } as typeof res.writeHead
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (ending) return end.apply(this, args as Parameters<typeof end>)
    ending = true
    session.commit().then(
      (values) => {
        committed = values
        end.apply(this, args as Parameters<typeof end>)
      },
      (error: unknown) => {
        committed = []
        next(error)
      },
    )
    return this
  } as typeof res.end
}

/** express-session's rule for whether the request is HTTPS. */
function isSecure(req: Request, proxy: boolean | undefined): boolean {
  if ((req.socket as TLSSocket).encrypted) return true
  if (proxy === false) return false
  if (proxy !== true) return req.secure === true
  const header = String(req.headers['x-forwarded-proto'] ?? '')
  return (header.split(',')[0] as string).trim().toLowerCase() === 'https'
}

/**
 * Session middleware for Express, a drop-in replacement for express-session: the same options, defaults, cookie
 * format and `req.session` API, on @sess/core (store writes finish before the response, concurrent requests
 * merge, idle and absolute timeouts, log out everywhere).
 *
 * @example
 * ```ts
 * import session from '@sess/express'
 *
 * app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }))
 * app.get('/', (req, res) => {
 *   req.session.views = (req.session.views ?? 0) + 1
 *   res.send(`Views: ${req.session.views}`)
 * })
 * ```
 */
export const session: SessionMiddlewareFactory = Object.assign(createMiddleware, {
  Store,
  MemoryStore,
  Cookie,
  Session,
})
