/** @module @sess/express (CommonJS) — `require('@sess/express')` is the `session` function, as express-session's. */
import type { SessionData as CoreSessionData, Store as CoreStore } from '@sess/core'
import type { RequestHandler } from 'express'
import type { CookieOptions as CookieOptionsType } from './internal/cookie.js'
import { Cookie as CookieClass } from './internal/cookie.js'
import { MemoryStore as MemoryStoreClass } from './internal/memory-store.js'
import type { RegenerateOptions as RegenerateOptionsType } from './internal/session.js'
import { Session as SessionClass } from './internal/session.js'
import type { ExpressStoreLike, StoreBase, StoreConstructor } from './internal/stores.js'
import { isStoreError as isStoreErrorFunction } from './internal/store-error.js'
import { Store as StoreFunction } from './internal/stores.js'
import type { SessionOptions as SessionOptionsType } from './middleware.js'
import { session as middleware } from './middleware.js'

// A function merged with a namespace, as @types/express-session declares it: the CommonJS types become
// `export = session` with the classes and types under `session.*`, so `declare module '@sess/express' { interface
// SessionData { ... } }` augments the same interface that types `req.session`.

/** Session middleware for Express, a drop-in replacement for express-session (see the ESM entry's docs). */
function session(options: SessionOptionsType): RequestHandler {
  return middleware(options)
}

// Top-level aliases for what the namespace re-exports under the same names: the declaration bundler keeps the
// original names, and inside the namespace `type Session = Session` would refer to itself.
type CoreData = CoreSessionData
type Options = SessionOptionsType
type CookieOpts = CookieOptionsType
type RegenerateOpts = RegenerateOptionsType
type AnyStore = CoreStore | ExpressStoreLike
type SessionInstance = SessionClass
type CookieInstance = CookieClass
type MemoryStoreInstance = MemoryStoreClass
type SessionCtor = typeof SessionClass
type CookieCtor = typeof CookieClass
type MemoryStoreCtor = typeof MemoryStoreClass

// A namespace merged with the function is what gives `export =` its named types (as @types/express-session does).
namespace session {
  /** The data of `req.session`; augment it to type the session. */
  export interface SessionData extends CoreData {}
  export type SessionOptions = Options
  export type CookieOptions = CookieOpts
  export type RegenerateOptions = RegenerateOpts
  export type SessionStore = AnyStore
  export type Store = StoreBase
  export type Session = SessionInstance
  export type Cookie = CookieInstance
  export type MemoryStore = MemoryStoreInstance
  export const Store: StoreConstructor = StoreFunction
  export const MemoryStore: MemoryStoreCtor = MemoryStoreClass
  export const Cookie: CookieCtor = CookieClass
  export const Session: SessionCtor = SessionClass
  /** True for a session store's error reaching `next(err)` (answer 503). */
  export const isStoreError: (error: unknown) => boolean = isStoreErrorFunction
}

declare global {
  namespace Express {
    interface Request {
      /** The request's session: data as properties, plus express-session's methods. */
      session: SessionClass & Partial<session.SessionData>
      /** The session id (it changes on regenerate). Never log it. */
      sessionID: string
      /** The store the middleware was given. */
      sessionStore: session.SessionStore
    }
  }
}

// The only export, so the CommonJS build emits `module.exports = session` (tsdown's cjsDefault): old code calls the
// required module directly and reads `session.Store`, `session.MemoryStore`, ... from it.
// biome-ignore lint/style/noDefaultExport: `module.exports = session` is express-session's CommonJS API.
export default session
