import type { SessionEvent, SessionManagerOptions, Store as CoreStore } from '@sess/core'
import type { Request, RequestHandler } from 'express'
import type { Cookie, CookieOptions } from './cookie.js'
import type { MemoryStore } from './memory-store.js'
import type { SecretInput } from './options.js'
import type { ExpressSessionEvent } from './request-state.js'
import type { Session } from './session.js'
import type { ExpressStoreLike, StoreConstructor } from './stores.js'

/** Options of {@link session}: express-session's, with its defaults and milliseconds, plus a few of sess's own. */
export interface SessionOptions
  extends Pick<SessionManagerOptions<object>, 'failOpen' | 'strict' | 'schema' | 'onInvalidData' | 'clock' | 'device'> {
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
