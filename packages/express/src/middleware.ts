import { createHmac } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import type { SessionEvent, SessionManager, SessionManagerOptions, Store as CoreStore } from '@sess/core'
import { createSessionManager, SessionConfigError } from '@sess/core'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { CookieOptions } from './internal/cookie.js'
import { Cookie } from './internal/cookie.js'
import { MemoryStore, memoryBackend } from './internal/memory-store.js'
import type { SecretInput } from './internal/options.js'
import { checkOptions, secretMissing, secretsOf, warnOnce } from './internal/options.js'
import type { ResponseSettings } from './internal/response.js'
import { hookResponse, ResponseHook } from './internal/response.js'
import type { ExpressSessionEvent } from './internal/session.js'
import { attachSession, Session } from './internal/session.js'
import { storeErrorFor } from './internal/store-error.js'
import type { ExpressStoreLike, StoreConstructor } from './internal/stores.js'
import { fromExpressStore, isExpressStore, Store } from './internal/stores.js'

/** Options of {@link session}: express-session's, with its defaults and milliseconds, plus a few of sess's own. */
export interface SessionOptions
  extends Pick<SessionManagerOptions<object>, 'failOpen' | 'strict' | 'schema' | 'onInvalidData' | 'clock'> {
  /**
   * Secret(s) signing the cookie (strings or Buffers); the first signs, all verify (rotation). Without it, each
   * request uses cookie-parser's `req.secret`. Short secrets are accepted, as before (with a warning in production).
   */
  secret?: SecretInput | undefined
  /** The session cookie's name. @default 'connect.sid' */
  name?: string | undefined
  /** express-session's old name for {@link SessionOptions.name}. @deprecated use `name` */
  key?: string | undefined
  /** Observes invalid cookies, expired records, store errors under failOpen and writes after the response. */
  onEvent?: ((event: SessionEvent | ExpressSessionEvent) => void) | undefined
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
  (options?: SessionOptions): RequestHandler
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
const production = (): boolean => process.env.NODE_ENV === 'production'
const lifetime = (c: CookieOptions): number | null => c.maxAge ?? (c.expires ? c.expires.getTime() - Date.now() : null)
const sameSiteOf = (c: CookieOptions, secure: boolean): CookieOptions['sameSite'] => {
  const s = typeof c.sameSite === 'string' ? (c.sameSite.toLowerCase() as CookieOptions['sameSite']) : c.sameSite
  return s === 'auto' ? (secure ? 'none' : 'lax') : s
}

function createMiddleware(options?: SessionOptions): RequestHandler {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new SessionConfigError('OPTION_INVALID', '[sess] [express] Pass session() an options object with a secret.')
  }
  const o: SessionOptions = options ?? {}
  checkOptions(o as Record<string, unknown>)
  const { cookie = {}, genid, proxy, unset = 'keep', resave = true } = o
  const name = o.name ?? o.key ?? 'connect.sid'
  if (unset !== 'keep' && unset !== 'destroy') {
    throw new SessionConfigError('OPTION_INVALID', "[sess] [express] unset must be 'destroy' or 'keep'.")
  }
  const secrets = secretsOf(o.secret)
  if (secrets === undefined) {
    warnOnce('secret', "[sess] [express] session() has no secret: each request needs cookie-parser's req.secret.")
  } else if (production() && secrets.some((s) => s.length < 32)) {
    warnOnce('weak', '[sess] [express] The session secret is short: use 32+ random characters in production.')
  }
  const sessionStore = o.store ?? new MemoryStore()
  if (production() && sessionStore instanceof MemoryStore) {
    warnOnce(
      'memory',
      '[sess] [express] Warning: the MemoryStore keeps sessions in this process only: they are lost on restart and not shared between processes (cluster, PM2, several servers). Use a store such as @sess/store-redis in production.',
    )
  }
  const base = typeof cookie === 'function' ? {} : cookie
  const now = (): number => o.clock?.now() ?? Date.now()
  const shape = {
    attributes: { path: base.path ?? '/', httpOnly: base.httpOnly ?? true, domain: base.domain },
    maxAge: lifetime(base),
    now,
  }
  const legacy = sessionStore instanceof MemoryStore || isExpressStore(sessionStore)
  const store: CoreStore =
    memoryBackend(sessionStore, shape) ??
    (isExpressStore(sessionStore) ? fromExpressStore(sessionStore, shape) : (sessionStore as CoreStore))
  // express-session serves requests without a session while its store reports itself disconnected.
  let ready = true
  const events = sessionStore as { on?: (event: string, listener: () => void) => unknown }
  if (typeof events.on === 'function') {
    events.on.call(sessionStore, 'disconnect', () => {
      ready = false
    })
    events.on.call(sessionStore, 'connect', () => {
      ready = true
    })
  }

  const build = (list: string[], c: CookieOptions, secure: boolean): SessionManager<object> => {
    const maxAge = lifetime(c)
    const sameSite = sameSiteOf(c, secure)
    const { rolling, failOpen, strict, schema, onInvalidData, clock } = o
    // SameSite=None and Partitioned cookies need Secure, which browsers enforce: sess adds it over HTTPS.
    const forceSecure = (sameSite === 'none' || c.partitioned === true) && !c.secure
    return createSessionManager<object>({
      ...{ rolling, failOpen, strict, schema, onInvalidData, clock },
      onEvent: o.onEvent as SessionManagerOptions<object>['onEvent'],
      secret: list,
      store,
      minSecretLength: 1,
      hmacSync,
      saveUninitialized: o.saveUninitialized ?? true,
      idleTimeout: seconds(maxAge ?? o.idleTimeout),
      absoluteTimeout: seconds(o.absoluteTimeout),
      touchAfter: seconds(o.touchAfter),
      storeTimeout: seconds(o.storeTimeout),
      cookie: {
        name,
        path: c.path,
        domain: c.domain,
        httpOnly: c.httpOnly ?? true,
        secure: forceSecure ? 'auto' : (c.secure ?? false),
        sameSite: (sameSite === undefined ? 'lax' : sameSite === true ? 'strict' : sameSite) as
          | 'lax'
          | 'strict'
          | 'none'
          | false,
        partitioned: c.partitioned,
        priority: c.priority,
        persistent: maxAge !== null,
      },
    })
  }
  // One manager per distinct secret and cookie configuration (req.secret, a cookie function, sameSite 'auto'),
  // created once, bounded.
  const managers = new Map<string, SessionManager<object>>()
  const managerFor = (list: string[], c: CookieOptions, secure: boolean): SessionManager<object> => {
    const auto = sameSiteOf(c, secure) !== sameSiteOf(c, !secure)
    const key = `${list.join('\0')}\0${auto && secure}${typeof cookie === 'function' ? JSON.stringify(c) : ''}`
    let manager = managers.get(key)
    if (manager === undefined) {
      manager = build(list, c, secure)
      if (managers.size >= MAX_MANAGERS) managers.delete(managers.keys().next().value as string)
      managers.set(key, manager)
    }
    return manager
  }
  // Validate static options at setup, so a bad config fails at boot rather than on the first request.
  const fixed =
    typeof cookie !== 'function' && sameSiteOf(cookie, true) === sameSiteOf(cookie, false)
      ? managerFor(secrets ?? ['validation only'], cookie, false)
      : (build(['validation only'], base, false), undefined)
  const error = (e: unknown): unknown => storeErrorFor(legacy, e)
  const settings: ResponseSettings = { name, unset, rolling: o.rolling === true, error }

  return function session(req: Request, res: Response, next: NextFunction): void {
    // Already has a session (nested middleware), or the store is disconnected: no session, as express-session.
    if (req.session || !ready) {
      next()
      return
    }
    const c = typeof cookie === 'function' ? cookie(req) : cookie
    const url = req.originalUrl || req.url || '/'
    const query = url.indexOf('?')
    const pathname = query === -1 ? url : url.slice(0, query)
    // Outside the cookie's path: no session, as express-session.
    if (!pathname.startsWith(c.path ?? '/')) {
      next()
      return
    }
    const fromParser = (req as { secret?: unknown }).secret
    const list = secrets ?? (fromParser ? [String(fromParser)] : undefined)
    if (list === undefined) {
      next(secretMissing())
      return
    }
    const secure = isSecure(req, proxy)
    const manager = fixed !== undefined && secrets !== undefined ? fixed : managerFor(list, c, secure)
    req.sessionStore = sessionStore
    const input = { cookie: cookieHeader(req, name, list), secure, generateId: genid && (() => genid(req)) }
    manager.load(input).then(
      (handle) => {
        // express-session's resave: keep the session alive on every request (a touch, never a rewrite).
        if (resave && !handle.session.isNew) handle.session.touch()
        const late = (operation: string): boolean => {
          if (!handle.session.committed) return false
          try {
            o.onEvent?.({ type: 'write-after-response', operation })
          } catch {
            // An observer must not break the process either.
          }
          return true
        }
        const attributes = { ...c, secure: c.secure === 'auto' ? secure : c.secure, sameSite: sameSiteOf(c, secure) }
        const sess = attachSession(handle.session, manager, req, { now, maxAge: lifetime(c), late, error }, attributes)
        req.session = sess
        req.sessionID = handle.session.id
        hookResponse(new ResponseHook(settings, handle, store, sess, secure, req, res, next), res)
        next()
      },
      (e: unknown) => next(error(e)),
    )
  }
}

/**
 * The Cookie header to read the session from. When cookie-parser ran first and the header no longer carries the
 * session cookie, express-session reads `req.signedCookies` (already verified) and `req.cookies`; so does sess.
 */
function cookieHeader(req: Request, name: string, secrets: string[]): string | undefined {
  const header = req.headers.cookie
  if (header?.includes(name)) return header
  const signed = (req as { signedCookies?: Record<string, unknown> }).signedCookies?.[name]
  if (typeof signed === 'string') {
    const value = `s:${signed}.${hmacSync(secrets[0] as string, signed)}`
    return `${name}=${encodeURIComponent(value)}`
  }
  const plain = (req as { cookies?: Record<string, unknown> }).cookies?.[name]
  return typeof plain === 'string' ? `${name}=${encodeURIComponent(plain)}` : header
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
