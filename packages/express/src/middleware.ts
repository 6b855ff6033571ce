import { createHmac } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { SessionHandle, SessionManager, SessionManagerOptions, Store as CoreStore } from '@sess/core'
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
  // Validate static options at setup, so a bad config fails at boot rather than on the first request. A static
  // cookie without sameSite 'auto' uses this one manager for every request: no key to build per request.
  const fixed = typeof cookie !== 'function' ? managerFor(cookie, false) : undefined

  const shared: Shared = { unset, lifetime }
  return function session(req: Request, res: Response, next: NextFunction): void {
    const c = typeof cookie === 'function' ? cookie(req) : cookie
    const url = req.originalUrl ?? req.url
    const query = url.indexOf('?')
    const pathname = query === -1 ? url : url.slice(0, query)
    // Already has a session (nested middleware), or outside the cookie's path: no session, as express-session.
    if (req.session || !pathname.startsWith(c.path ?? '/')) {
      next()
      return
    }
    const secure = isSecure(req, proxy)
    const manager = fixed !== undefined && c.sameSite !== 'auto' ? fixed : managerFor(c, secure)
    req.sessionStore = sessionStore
    const input = { cookie: req.headers.cookie, secure, generateId: genid && (() => genid(req)) }
    manager.load(input).then((handle) => {
      // express-session's resave: keep the session alive on every request (a touch, never a rewrite).
      if (resave && !handle.session.isNew) handle.session.touch()
      hookResponse(new ResponseHook(shared, handle, manager, c, secure, req, res, next), res)
      next()
    }, next)
  }
}

interface Shared {
  unset: 'keep' | 'destroy'
  lifetime(c: CookieOptions): number | null
}

const HOOK = Symbol('@sess/express response')
type Hooked = ServerResponse & { [HOOK]: ResponseHook }

/**
 * One request's session on the response: appends Set-Cookie when headers are written and holds `res.end` until
 * the store write has completed. Per-request state lives on this one object (found from the response through a
 * symbol), and the `writeHead`/`end` wrappers are shared functions: no closures per request.
 */
class ResponseHook {
  readonly sess: Session
  readonly writeHead: (this: ServerResponse, ...args: unknown[]) => ServerResponse
  readonly end: (this: ServerResponse, ...args: unknown[]) => ServerResponse
  committed: string[] | undefined
  ending = false

  constructor(
    readonly shared: Shared,
    readonly handle: SessionHandle<object>,
    manager: SessionManager<object>,
    readonly c: CookieOptions,
    readonly secure: boolean,
    readonly req: Request,
    res: Response,
    readonly next: NextFunction,
  ) {
    this.sess = attachSession(handle.session, manager, req, {
      now: () => manager.options.clock.now(),
      maxAge: shared.lifetime(c),
    })
    req.session = this.sess
    req.sessionID = handle.session.id
    this.writeHead = res.writeHead as ResponseHook['writeHead']
    this.end = res.end as ResponseHook['end']
  }

  /** The app replaced or deleted `req.session` (not by `destroy()`). */
  unsetByApp(): boolean {
    return this.req.session !== this.sess && !destroyedByApi(this.sess)
  }

  // Over plain HTTP a `secure: true` cookie is not sent at all (express-session); the session is still saved.
  allowed(values: string[]): string[] {
    return this.c.secure === true && !this.secure ? [] : values
  }

  /** The cookies for headers written before the commit (a synchronous prediction). */
  peek(): string[] {
    return this.unsetByApp() && this.shared.unset === 'keep' ? [] : this.allowed(this.handle.peekSetCookie() ?? [])
  }

  /** Commits synchronously when no store call is due; undefined when the commit must wait. */
  commitSync(): string[] | undefined {
    if (this.unsetByApp()) return this.shared.unset === 'keep' ? [] : undefined
    const result = this.handle.commitSync()
    return result === undefined ? undefined : this.allowed(result.setCookie)
  }

  async commit(): Promise<string[]> {
    if (this.unsetByApp()) {
      if (this.shared.unset === 'keep') return []
      await this.handle.session.destroy()
    }
    return this.allowed((await this.handle.commit()).setCookie)
  }
}

function hookResponse(hook: ResponseHook, res: Response): void {
  ;(res as unknown as Hooked)[HOOK] = hook
  res.writeHead = writeHeadHooked as typeof res.writeHead
  res.end = endHooked as typeof res.end
}

function writeHeadHooked(this: Hooked, status: number, ...rest: unknown[]): ServerResponse {
  const hook = this[HOOK]
  this.writeHead = hook.writeHead as typeof this.writeHead
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
  for (const value of hook.committed ?? hook.peek()) this.appendHeader('Set-Cookie', value)
  return reason === undefined ? hook.writeHead.call(this, status) : hook.writeHead.call(this, status, reason)
}

function endHooked(this: Hooked, ...args: unknown[]): ServerResponse {
  const hook = this[HOOK]
  if (hook.ending) return hook.end.apply(this, args)
  hook.ending = true
  // Nothing to write (a read): finish now, as the app asked, instead of after a deferred commit.
  const now = hook.commitSync()
  if (now !== undefined) {
    hook.committed = now
    return hook.end.apply(this, args)
  }
  hook.commit().then(
    (values) => {
      hook.committed = values
      hook.end.apply(this, args)
    },
    (error: unknown) => {
      hook.committed = []
      hook.next(error)
    },
  )
  return this
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
