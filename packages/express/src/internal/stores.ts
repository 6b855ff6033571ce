import { EventEmitter } from 'node:events'
import { Session } from './session.js'

/** A callback in express-session's style: an error first, then a result. */
// biome-ignore lint/suspicious/noExplicitAny: @types/express-session types store and session callbacks this way
export type Callback<T = void> = (err?: any, result?: T) => void

/** A session record as express-session stores keep it: the cookie next to the data. */
export interface LegacyRecord {
  cookie: { originalMaxAge: number | null; expires: string | Date | null; [attribute: string]: unknown }
  [key: string]: unknown
}

/**
 * Any store written for express-session (connect-redis, connect-mongo, ...), typed structurally and loosely so that
 * each store's own record type is accepted.
 */
export interface ExpressStoreLike {
  // biome-ignore lint/suspicious/noExplicitAny: every store types its records its own way (express-session's SessionData, ...)
  get(sid: string, callback: (err: any, session?: any) => void): unknown
  // biome-ignore lint/suspicious/noExplicitAny: as above
  set(sid: string, session: any, callback?: (err?: any) => void): unknown
  // biome-ignore lint/suspicious/noExplicitAny: as above
  destroy(sid: string, callback?: (err?: any) => void): unknown
}

/** What `session.Store` gives its subclasses, as express-session's base class does. */
export interface StoreBase extends EventEmitter {
  /** Destroys the request's session and starts a new one (express-session's contract). */
  regenerate(req: { session?: { regenerate(callback: Callback): unknown } }, callback: Callback): void
  /** Reads a session outside a request, e.g. for a WebSocket handshake. */
  load(sid: string, callback: Callback<Session | undefined>): void
  /** Builds a detached {@link Session} from a stored record. */
  createSession(req: { sessionID: string; sessionStore: unknown }, session: LegacyRecord): Session
}

/** A store written for express-session (connect-redis, connect-mongo, ...): callback methods. */
export interface ExpressStore extends StoreBase {
  get(sid: string, callback: Callback<LegacyRecord | null>): void
  set(sid: string, session: LegacyRecord, callback?: Callback): void
  destroy(sid: string, callback?: Callback): void
  touch?(sid: string, session: LegacyRecord, callback?: Callback): void
  all?(callback: Callback<LegacyRecord[] | Record<string, LegacyRecord> | null>): void
  length?(callback: Callback<number>): void
  clear?(callback?: Callback): void
}

/** `session.Store`: the base class of express-session stores, callable as `Store.call(this)` by old ones. */
export interface StoreConstructor {
  new (): StoreBase
  (this: unknown): void
  readonly prototype: StoreBase
}

// A function, not a class: stores written before ES classes inherit with `Store.call(this); util.inherits(...)`.
function BaseStore(this: EventEmitter): void {
  ;(EventEmitter as unknown as (this: EventEmitter) => void).call(this)
}
Object.setPrototypeOf(BaseStore.prototype, EventEmitter.prototype)
Object.setPrototypeOf(BaseStore, EventEmitter)
Object.assign(BaseStore.prototype, {
  regenerate(req: { session?: { regenerate(callback: Callback): unknown } }, callback: Callback): void {
    if (req.session) req.session.regenerate(callback)
    else callback(new TypeError('[sess] [express] regenerate needs a request that has a session.'))
  },
  load(this: ExpressStore, sid: string, callback: Callback<Session | undefined>): void {
    this.get(sid, (err, record) => {
      if (err || !record) return callback(err)
      callback(null, this.createSession({ sessionID: sid, sessionStore: this }, record))
    })
  },
  createSession(req: { sessionID: string; sessionStore: unknown }, record: LegacyRecord): Session {
    return new Session(req, record)
  },
} satisfies Pick<StoreBase, 'regenerate' | 'load' | 'createSession'> & ThisType<ExpressStore>)

/** express-session's `Store` base class, so `class MyStore extends session.Store` keeps working. */
export const Store: StoreConstructor = BaseStore as unknown as StoreConstructor
