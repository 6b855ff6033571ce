import type { Store, SessionRecord } from '@sess/core'
import { withRereadPatch } from '@sess/core'
import type { PeerRecord, RecordShape } from './peer-record.js'
import { fromPeerRecord, toPeerRecord } from './peer-record.js'

/** An error-first callback, as @fastify/session and express-session stores call them. */
// biome-ignore lint/suspicious/noExplicitAny: store callbacks are typed this loosely by @fastify/session
export type Callback<T = void> = (err?: any, result?: T) => void

/** A store written for @fastify/session or express-session (connect-redis, connect-mongo, ...): callback methods. */
export interface CallbackStore {
  // biome-ignore lint/suspicious/noExplicitAny: every store types its records its own way
  get(sessionId: string, callback: (err: any, session?: any) => void): unknown
  // biome-ignore lint/suspicious/noExplicitAny: as above
  set(sessionId: string, session: any, callback: (err?: any) => void): unknown
  // biome-ignore lint/suspicious/noExplicitAny: as above
  destroy(sessionId: string, callback: (err?: any) => void): unknown
}

/** True for a callback store (its `get` takes a callback) rather than a `@sess/*` store. */
export function isCallbackStore(store: unknown): store is CallbackStore {
  const get = (store as { get?: unknown } | null)?.get
  return typeof get === 'function' && get.length >= 2
}

function call<T>(store: CallbackStore, method: keyof CallbackStore, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fn = store[method] as (...a: unknown[]) => unknown
    fn.call(store, ...args, (err: unknown, value: T) => (err ? reject(err) : resolve(value)))
  })
}

/**
 * A callback store behind the core contract, records in @fastify/session's shape so both libraries can share the
 * store while an app moves. Expiry is enforced here whatever the store does: an expired record is destroyed and
 * reads as missing. `ENOENT` (file stores) reads as missing too. Without an atomic patch in that contract, patch and
 * touch re-read the record first, and every write to one id waits for the previous one in this process, so
 * overlapping requests keep each other's keys and never resurrect a destroyed session (across processes, two writes
 * within one round trip can still lose one's keys; a `@sess/*` store's patch cannot).
 */
export function fromCallbackStore(store: CallbackStore, shape: RecordShape): Store {
  const get = async (id: string): Promise<SessionRecord | null> => {
    let value: unknown
    try {
      value = await call<unknown>(store, 'get', id)
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'ENOENT') return null
      throw error
    }
    const record = fromPeerRecord(value, shape)
    if (record === null || record.expiresAt > shape.now()) return record
    await call(store, 'destroy', id)
    return null
  }
  const write = (id: string, record: SessionRecord): Promise<void> =>
    call(store, 'set', id, toPeerRecord(record, shape) satisfies PeerRecord)
  const destroy = (id: string): Promise<void> => call(store, 'destroy', id)
  return withRereadPatch({ get, set: write, destroy })
}
