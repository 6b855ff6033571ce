import type { Store as CoreStore, StoredSession } from '@sess/core'
import { toCallback } from '@sess/core'
import type { MemoryStoreOptions } from '@sess/store-memory'
import { memoryStore } from '@sess/store-memory'
import { fromExpressStore } from './express-store.js'
import type { RecordShape } from './legacy-record.js'
import { fromLegacyRecord, toLegacyRecord } from './legacy-record.js'
import type { Callback, LegacyRecord } from './stores.js'
import { Store } from './stores.js'

type Native = ReturnType<typeof memoryStore>

const natives = new WeakMap<object, Native>()
// The record shape of the middleware using the store (its cookie's maxAge and attributes), for the callback API.
const shapes = new WeakMap<object, RecordShape>()
const DEFAULT_SHAPE: RecordShape = { attributes: { path: '/', httpOnly: true }, maxAge: null, now: () => Date.now() }
const DAY_MS = 86_400_000
const ttl = (expiresAt: number): number => Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000))

/**
 * `session.MemoryStore`: express-session's callback API over `@sess/store-memory`, which is bounded (LRU) and
 * drops expired sessions, so it does not leak like express-session's. Still one process only.
 */
export class MemoryStore extends Store {
  constructor(options?: MemoryStoreOptions) {
    super()
    natives.set(this, memoryStore(options))
  }

  get #native(): Native {
    return natives.get(this) as Native
  }
  get #shape(): RecordShape {
    return shapes.get(this) ?? DEFAULT_SHAPE
  }

  /** The session with id `sid` in express-session's shape, or `null`. */
  get(sid: string, done: Callback<LegacyRecord | null>): void {
    const shape = this.#shape
    toCallback(async () => {
      const r = await this.#native.get(sid)
      return r !== null && r.expiresAt > shape.now() ? toLegacyRecord(r, shape) : null
    }, done)
  }
  /** Stores a session given in express-session's shape. */
  set(sid: string, session: LegacyRecord, done?: Callback): void {
    const shape = this.#shape
    const parsed = fromLegacyRecord(session, shape)
    const { cookie: _cookie, ...data } = (session ?? {}) as Partial<LegacyRecord>
    const now = shape.now()
    // A record without a cookie is kept as plain data, as express-session's MemoryStore keeps anything.
    const record: StoredSession =
      parsed !== null && typeof parsed.createdAt === 'number'
        ? parsed
        : { data, createdAt: now, expiresAt: now + DAY_MS, version: 0 }
    const expires = session?.cookie?.expires
    // A record from express-session's API carries its expiry in the cookie only.
    if (!(META in (session ?? {}))) record.expiresAt = expires ? new Date(expires).getTime() : now + DAY_MS
    toCallback(() => this.#native.set(sid, record, ttl(record.expiresAt)), done)
  }
  /** Removes a session. */
  destroy(sid: string, done?: Callback): void {
    toCallback(() => this.#native.destroy(sid), done)
  }
  /** Extends a session's expiry to its cookie's. */
  touch(sid: string, session: LegacyRecord, done?: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Date.now() + DAY_MS
    toCallback(() => this.#native.touch(sid, expires, ttl(expires)), done)
  }
  /** Every live session in express-session's shape, keyed by id (as express-session's `MemoryStore#all`). */
  all(done: Callback<Record<string, LegacyRecord>>): void {
    const shape = this.#shape
    toCallback(
      () =>
        this.#native.all().then((list) => {
          const out: Record<string, LegacyRecord> = Object.create(null)
          const now = shape.now()
          for (const { id, session } of list) if (session.expiresAt > now) out[id] = toLegacyRecord(session, shape)
          return out
        }),
      done,
    )
  }
  /** How many sessions are live. */
  length(done: Callback<number>): void {
    const now = this.#shape.now()
    toCallback(() => this.#native.all().then((list) => list.filter((s) => s.session.expiresAt > now).length), done)
  }
  /** Removes every session. */
  clear(done?: Callback): void {
    toCallback(() => this.#native.clear(), done)
  }
}

const META = '__sess'
const proto = MemoryStore.prototype

/**
 * The core store behind a `MemoryStore` given to (or made by) the middleware. While the app has not replaced its
 * `get`, `set`, `destroy` or `touch` (instrumentation, a subclass, a test double), calls go straight to the memory
 * store; once it has, every call goes through those methods, as express-session calls them.
 */
export function memoryBackend(store: unknown, shape: RecordShape): CoreStore | undefined {
  const native = typeof store === 'object' && store !== null ? natives.get(store) : undefined
  if (native === undefined) return undefined
  const ms = store as MemoryStore
  shapes.set(ms, shape)
  const wrapped = fromExpressStore(ms, shape)
  const direct = (): boolean =>
    ms.get === proto.get && ms.set === proto.set && ms.destroy === proto.destroy && ms.touch === proto.touch
  return {
    get: (id) => (direct() ? native.get(id) : wrapped.get(id)),
    set: (id, record, ttlSeconds) =>
      direct() ? native.set(id, record, ttlSeconds) : wrapped.set(id, record, ttlSeconds),
    destroy: (id) => (direct() ? native.destroy(id) : wrapped.destroy(id)),
    // Not async: the direct call answers synchronously, so a read from the default store costs no Promise.
    getAndTouch: (id, policy) => {
      if (direct()) return native.getAndTouch(id, policy)
      return Promise.resolve(wrapped.get(id)).then((session) => (session === null ? null : { session, touched: false }))
    },
    touch: (id, expiresAt, ttlSeconds) =>
      direct() ? native.touch(id, expiresAt, ttlSeconds) : wrapped.touch!(id, expiresAt, ttlSeconds),
    patch: (id, patch, ttlSeconds) =>
      direct() ? native.patch(id, patch, ttlSeconds) : wrapped.patch!(id, patch, ttlSeconds),
    listByUser: (userId) => native.listByUser(userId),
    destroyByUser: (userId, options) => native.destroyByUser(userId, options),
  }
}
