import type { PatchResult, SessionRecord, Store } from '../store.js'
import { applyPatch } from './patch.js'
import { createWriteQueue } from './write-queue.js'

/** The three calls of a backend without an atomic update (express-session-style callback stores, promisified). */
export interface ReadWriteBackend {
  /** The record, or null when there is none (or it is expired). */
  get(id: string): Promise<SessionRecord | null>
  /** Writes the whole record. */
  set(id: string, record: SessionRecord): Promise<void>
  /** Removes the record. */
  destroy(id: string): Promise<void>
}

/**
 * A {@link Store} over a backend that can only read and write whole records: `patch` and `touch` re-read the record,
 * change it in memory ({@link applyPatch}) and write it back, and every write to one id waits for the previous one
 * in this process ({@link createWriteQueue}). So overlapping requests served by one process keep each other's keys
 * and never resurrect a destroyed session; across processes, two writes within one round trip can still lose one's
 * keys (a store with an atomic `patch` cannot).
 */
export function withRereadPatch(backend: ReadWriteBackend): Store {
  const queued = createWriteQueue()
  const update = (id: string, change: (record: SessionRecord) => PatchResult): Promise<PatchResult> =>
    queued(id, async () => {
      const record = await backend.get(id)
      if (record === null) return 'missing'
      const result = change(record)
      if (result === 'ok') await backend.set(id, record)
      return result
    })
  return {
    get: (id) => backend.get(id),
    set: (id, record) => queued(id, () => backend.set(id, record)),
    destroy: (id) => queued(id, () => backend.destroy(id)),
    touch: async (id, expiresAt) => void (await update(id, (r) => ((r.expiresAt = expiresAt), 'ok'))),
    patch: (id, patch) => update(id, (record) => applyPatch(record, patch)),
  }
}
