import type { Store as CoreStore, StoredSession } from '@sess/core'
import { withRereadPatch } from '@sess/core'
import type { RecordShape } from './legacy-record.js'
import { fromLegacyRecord, toLegacyRecord } from './legacy-record.js'
import type { ExpressStore, ExpressStoreLike } from './stores.js'

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
  const destroy = (id: string): Promise<void> => call(store, 'destroy', id)
  return withRereadPatch({ get, set: write, destroy })
}

/** True for a store written against express-session rather than the core contract. */
export function isExpressStore(store: unknown): store is ExpressStoreLike {
  const s = store as Partial<ExpressStore> | null
  return typeof s?.createSession === 'function' || (typeof s?.get === 'function' && s.get.length >= 2)
}
