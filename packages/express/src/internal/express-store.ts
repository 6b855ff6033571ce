import type { PatchResult, Store as CoreStore, StoredSession } from '@sess/core'
import { applyPatch } from '@sess/core'
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
