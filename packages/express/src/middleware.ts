import { randomUUID } from 'node:crypto'
import type { LoadInput, SessionManagerOptions } from '@sess/core'
import { createSessionManager } from '@sess/core'
import { nodeHMAC } from '@sess/core/node'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { AttachSettings, Holder } from './internal/attach.js'
import { attach } from './internal/attach.js'
import { backendOf } from './internal/backend.js'
import { Cookie } from './internal/cookie.js'
import { coreAttributes, isStatic, lifetimeMs, lifetimeSeconds } from './internal/cookie-settings.js'
import { MemoryStore } from './internal/memory-store.js'
import { checkOptions, secretMissing, secretsOf } from './internal/options.js'
import { cookieHeader, isSecure, parserSecret, pathnameOf, requestInputs } from './internal/request.js'
import type { ResponseSettings } from './internal/response.js'
import { RequestIds } from './internal/response.js'
import type { SessionContext } from './internal/request-state.js'
import { Reshape, reshaping } from './internal/shape.js'
import { attachSlots, prototypeHook } from './internal/slots.js'
import { Session } from './internal/session.js'
import type { SessionMiddlewareFactory, SessionOptions } from './internal/session-options.js'
import { storeErrorFor } from './internal/store-error.js'
import { Store } from './internal/stores.js'

export type { SessionMiddlewareFactory, SessionOptions } from './internal/session-options.js'

const seconds = (ms: number | null | undefined): number | undefined => (ms == null ? undefined : ms / 1000)

function createMiddleware(options?: SessionOptions): RequestHandler {
  const o = checkOptions(options)
  const { cookie = {}, genid, proxy, unset = 'keep', resave = true } = o
  const name = o.name ?? o.key ?? 'connect.sid'
  const secrets = secretsOf(o.secret)
  const fixed = isStatic(cookie) ? cookie : undefined
  const base = fixed ?? (typeof cookie === 'function' ? {} : cookie)
  const now = (): number => o.clock?.now() ?? Date.now()
  const baseLifetime = lifetimeMs(base, now())
  const shape = {
    attributes: { path: base.path ?? '/', httpOnly: base.httpOnly ?? true, domain: base.domain },
    maxAge: baseLifetime,
    now,
  }
  const backend = backendOf(o.store, shape)
  const { rolling, failOpen, strict, schema, onInvalidData, clock, device } = o
  // One manager: secrets from cookie-parser, attributes of a cookie function or of sameSite 'auto', and sub-second
  // lifetimes go to core per request. Built at setup, so a bad static option fails at boot.
  const manager = createSessionManager<object>({
    ...{ rolling, failOpen, strict, schema, onInvalidData, clock, device },
    onEvent: o.onEvent as SessionManagerOptions<object>['onEvent'],
    secret: secrets ?? randomUUID(),
    store: backend.store,
    minSecretLength: 1,
    hmacSync: nodeHMAC,
    saveUninitialized: o.saveUninitialized ?? true,
    idleTimeout: fixed && baseLifetime !== null ? (lifetimeSeconds(baseLifetime) as number) : seconds(o.idleTimeout),
    absoluteTimeout: seconds(o.absoluteTimeout),
    touchAfter: seconds(o.touchAfter),
    storeTimeout: seconds(o.storeTimeout),
    cookie: { name, ...coreAttributes(base, false) },
  })
  const error = (e: unknown): unknown => storeErrorFor(backend.legacy, e)
  const settings: ResponseSettings = { name, unset, rolling: o.rolling === true, error }
  const context: SessionContext = { manager, now, onEvent: o.onEvent, error }
  const inputs = requestInputs(device, o.onEvent !== undefined)

  const attaching: AttachSettings = { resave, context, response: settings, store: backend.store }
  const requests = new Reshape()
  const responses = new Reshape()

  return function session(req: Request, res: Response, next: NextFunction): void {
    // Every later property access to req and res (Express's, Node's, the app's) hits V8's caches again (shape.ts).
    if (reshaping) {
      requests.run(req)
      responses.run(res)
    }
    // Each read of req or res costs a cache miss in V8 (slots.ts says why): each is read once, and the session's
    // own properties go through the request's slots.
    const slots = attachSlots(req, res)
    // Already has a session (nested middleware), or the store is disconnected: no session, as express-session.
    if ((slots === undefined ? req.session : slots.session) || !backend.ready) return void next()
    const c = fixed ?? (typeof cookie === 'function' ? cookie(req) : cookie)
    // Outside the cookie's path: no session, as express-session (every request path starts with '/').
    if (c.path !== undefined && c.path !== '/' && !pathnameOf(req).startsWith(c.path)) return void next()
    const list = secrets ?? parserSecret(req)
    if (list === undefined) return void next(secretMissing())
    const headers = req.headers
    const header = headers.cookie
    const secure = isSecure(req, headers, proxy)
    // Session state and hook reach req.session/req.sessionID through the slots where req has them: a path from
    // the slots back to req would keep the request alive (slots.ts says why).
    const holder: Holder = slots ?? req
    holder.sessionStore = backend.given
    const ids = genid && new RequestIds(genid, req)
    const input: LoadInput = {
      cookie: cookieHeader(req, header, name, list),
      secure,
      generateId: ids?.next,
      secret: secrets === undefined ? list : undefined,
      attributes: fixed ? undefined : coreAttributes(c, secure),
      maxAge: fixed ? undefined : lifetimeSeconds(lifetimeMs(c, now())),
    }
    // (Not a spread in the literal: V8 builds such a literal by the generic path, as a slower, larger object.)
    if (inputs !== undefined) Object.assign(input, inputs(req, secure))
    const originals = slots && prototypeHook(slots, res)
    // At once when the store answered synchronously (the memory store): no Promise, no closure, no deferred next().
    const opened = manager.open(input)
    if (!(opened instanceof Promise))
      return void attach(attaching, opened, holder, c, secure, header, ids, slots, originals, res, next)
    opened.then(
      (handle) => attach(attaching, handle, holder, c, secure, header, ids, slots, originals, res, next),
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
