import type { SessionManager, SessionManagerOptions } from '@sess/core'
import { createSessionManager } from '@sess/core'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { backendOf } from './internal/backend.js'
import type { CookieOptions } from './internal/cookie.js'
import { Cookie } from './internal/cookie.js'
import { MemoryStore } from './internal/memory-store.js'
import { checkOptions, secretMissing, secretsOf } from './internal/options.js'
import { cookieHeader, hmacSync, isSecure, pathnameOf } from './internal/request.js'
import type { ResponseSettings } from './internal/response.js'
import { hookResponse, ResponseHook } from './internal/response.js'
import { attachSession, Session } from './internal/session.js'
import type { SessionMiddlewareFactory, SessionOptions } from './internal/session-options.js'
import { storeErrorFor } from './internal/store-error.js'
import { Store } from './internal/stores.js'

export type { SessionMiddlewareFactory, SessionOptions } from './internal/session-options.js'

const MAX_MANAGERS = 8
const seconds = (ms: number | null | undefined): number | undefined => (ms == null ? undefined : ms / 1000)
const lifetime = (c: CookieOptions): number | null => c.maxAge ?? (c.expires ? c.expires.getTime() - Date.now() : null)
const sameSiteOf = (c: CookieOptions, secure: boolean): CookieOptions['sameSite'] => {
  const s = typeof c.sameSite === 'string' ? (c.sameSite.toLowerCase() as CookieOptions['sameSite']) : c.sameSite
  return s === 'auto' ? (secure ? 'none' : 'lax') : s
}

function createMiddleware(options?: SessionOptions): RequestHandler {
  const o = checkOptions(options)
  const { cookie = {}, genid, proxy, unset = 'keep', resave = true } = o
  const name = o.name ?? o.key ?? 'connect.sid'
  const secrets = secretsOf(o.secret)
  const base = typeof cookie === 'function' ? {} : cookie
  const now = (): number => o.clock?.now() ?? Date.now()
  const shape = {
    attributes: { path: base.path ?? '/', httpOnly: base.httpOnly ?? true, domain: base.domain },
    maxAge: lifetime(base),
    now,
  }
  const backend = backendOf(o.store, shape)
  const store = backend.store

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
  const error = (e: unknown): unknown => storeErrorFor(backend.legacy, e)
  const settings: ResponseSettings = { name, unset, rolling: o.rolling === true, error }

  return function session(req: Request, res: Response, next: NextFunction): void {
    // Already has a session (nested middleware), or the store is disconnected: no session, as express-session.
    if (req.session || !backend.ready) return void next()
    const c = typeof cookie === 'function' ? cookie(req) : cookie
    // Outside the cookie's path: no session, as express-session.
    if (!pathnameOf(req).startsWith(c.path ?? '/')) return void next()
    const fromParser = (req as { secret?: unknown }).secret
    const list = secrets ?? (fromParser ? [String(fromParser)] : undefined)
    if (list === undefined) return void next(secretMissing())
    const secure = isSecure(req, proxy)
    const manager = fixed !== undefined && secrets !== undefined ? fixed : managerFor(list, c, secure)
    req.sessionStore = backend.given
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
