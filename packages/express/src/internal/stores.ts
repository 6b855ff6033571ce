import { EventEmitter } from 'node:events'
import type { PatchResult, Store as CoreStore, StoredSession } from '@sess/core'
import { applyPatch, invalidRecord } from '@sess/core'
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

/** Where the sess metadata rides inside an express-session record; express-session keeps it as a data key. */
const META = '__sess'
type Meta = Pick<StoredSession, 'createdAt' | 'expiresAt' | 'version' | 'userId' | 'maxAge'>

/** How records are shaped: the cookie attributes to store and the lifetime of records that carry none. */
export interface RecordShape {
  /** Cookie attributes written next to the data (path, httpOnly, ...). */
  attributes: Record<string, unknown>
  /** The default `originalMaxAge`, ms; null for a browser-session cookie. */
  maxAge: number | null
  now(): number
}

const FOREIGN_GRACE_MS = 1000

/** A core record in express-session's shape: `{ cookie, ...data, __sess }`. */
export function toLegacyRecord(record: StoredSession, shape: RecordShape): LegacyRecord {
  const maxAge = record.maxAge === undefined ? shape.maxAge : record.maxAge === null ? null : record.maxAge * 1000
  const meta: Meta = { createdAt: record.createdAt, expiresAt: record.expiresAt, version: record.version }
  if (record.userId !== undefined) meta.userId = record.userId
  if (record.maxAge !== undefined) meta.maxAge = record.maxAge
  const expires = maxAge === null ? null : new Date(record.expiresAt).toISOString()
  return { cookie: { ...shape.attributes, originalMaxAge: maxAge, expires }, ...record.data, [META]: meta }
}

/** A core record from express-session's shape; null for none, and an invalid record for one without a cookie. */
export function fromLegacyRecord(value: unknown, shape: RecordShape): StoredSession | null {
  if (value === null || value === undefined) return null
  const { cookie, [META]: meta, ...data } = value as Partial<LegacyRecord> & { [META]?: Meta }
  // express-session fails such a request on every visit until the cookie expires; a fresh session is kinder.
  if (typeof cookie !== 'object' || cookie === null)
    return invalidRecord('no cookie property (not an express-session record)')
  const expires = cookie?.expires ? new Date(cookie.expires).getTime() : undefined
  // Written by express-session (no metadata, or a cookie expiry it moved): the store's own TTL says the session is
  // alive, while the stored expiry may be stale (its touch() only extends the TTL). Expiring in a second makes the
  // first sess request refresh it, rewriting it with metadata.
  if (meta === undefined || (expires !== undefined && expires !== meta.expiresAt)) {
    const original = cookie?.originalMaxAge
    const maxAge = typeof original === 'number' ? original / 1000 : null
    return { data, createdAt: shape.now(), expiresAt: shape.now() + FOREIGN_GRACE_MS, version: 0, maxAge }
  }
  return { data, ...meta }
}

/** express-session's rule: a `get` failing with `ENOENT` (file stores) means "no such session". */
function notFound(error: unknown): null {
  if ((error as { code?: unknown } | null)?.code === 'ENOENT') return null
  throw error
}

/** Promise form of one callback-style store call. */
function call<T>(store: ExpressStoreLike, method: 'get' | 'set' | 'destroy', ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fn = store[method] as (...a: unknown[]) => unknown
    fn.call(store, ...args, (err: unknown, value: T) => (err ? reject(err) : resolve(value)))
  })
}

/**
 * Runs the writes to one id one after another. A callback store has no atomic update, so patch re-reads the record
 * and writes it back; two such cycles interleaving on one id would lose the first one's keys (issue 17.10).
 */
function writeQueue(): <T>(id: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>()
  return (id, task) => {
    const run = (tails.get(id) ?? Promise.resolve()).then(task)
    const tail = run.then(
      () => undefined,
      () => undefined,
    )
    tails.set(id, tail)
    void tail.then(() => tails.get(id) === tail && tails.delete(id))
    return run
  }
}

/**
 * Wraps an express-session store into the core contract. Records keep express-session's shape, so both libraries
 * can share the store during a migration. There is no atomic patch in that contract: patch and touch re-read the
 * record first, and every write to one id waits for the previous one in this process, so overlapping requests
 * served by one process keep each other's keys and never resurrect a destroyed session. Across processes two
 * writes to one session within a round trip can still lose one's keys; a sess store (`patch`) cannot.
 */
export function fromExpressStore(store: ExpressStoreLike, shape: RecordShape): CoreStore {
  const get = async (id: string): Promise<StoredSession | null> =>
    fromLegacyRecord(await call<unknown>(store, 'get', id).catch(notFound), shape)
  const write = (id: string, record: StoredSession): Promise<void> =>
    call(store, 'set', id, toLegacyRecord(record, shape))
  const queued = writeQueue()
  const update = (id: string, change: (record: StoredSession) => PatchResult): Promise<PatchResult> =>
    queued(id, async () => {
      const record = await get(id)
      if (record === null) return 'missing'
      const result = change(record)
      if (result === 'ok') await write(id, record)
      return result
    })
  return {
    get,
    set: (id, record) => queued(id, () => write(id, record)),
    destroy: (id) => queued(id, () => call(store, 'destroy', id)),
    touch: async (id, expiresAt) => void (await update(id, (r) => ((r.expiresAt = expiresAt), 'ok'))),
    patch: (id, patch) => update(id, (record) => applyPatch(record, patch)),
  }
}

/** True for a store written against express-session rather than the core contract. */
export function isExpressStore(store: unknown): store is ExpressStoreLike {
  const s = store as Partial<ExpressStore> | null
  return typeof s?.createSession === 'function' || (typeof s?.get === 'function' && s.get.length >= 2)
}
