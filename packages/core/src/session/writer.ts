import { andThen } from '../internal/awaitable.js'
import { SessionStateError } from '../errors.js'
import type { PatchResult } from '../store.js'
import { callStore } from '../internal/store-call.js'
import { ttlSeconds } from '../store-kit/expiry.js'
import { dropped, written as stored } from './lifecycle.js'
import { buildPatch } from './patch-builder.js'
import type { StoreAction } from './plan.js'
import { assertSerializable } from './serializable.js'
import type { SessionState } from './state.js'

/** A write's outcome: `'missing'` when a patch found no record. */
export type WriteOutcome = 'ok' | 'missing'

/**
 * Performs a planned store action for the session's current id and moves its lifecycle on. Gives `'missing'`
 * when a patch found no record (destroyed or expired by another request): the session is then unsaved, never
 * resurrected, and its cookie is expired. Synchronous when the store answers synchronously (or nothing is written).
 */
export function writeSession(
  state: SessionState,
  action: StoreAction,
  expiresAt: number,
  now: number,
): WriteOutcome | Promise<WriteOutcome> {
  if (action === 'none') return 'ok'
  const { store, id } = state
  const timeout = state.services.options.storeTimeout
  const ttl = ttlSeconds(expiresAt, now)
  if (action === 'touch') {
    const done = store.touch
      ? callStore('touch', timeout, () => store.touch!(id, expiresAt, ttl))
      : callStore('set', timeout, () => store.set(id, state.toRecord(expiresAt, state.version), ttl))
    return andThen(done, () => written(state, id, expiresAt))
  }
  if (action === 'set') {
    for (const key of Object.keys(state.data)) assertSerializable(key, state.data[key])
    const record = state.toRecord(expiresAt, state.version + 1)
    return andThen(
      callStore('set', timeout, () => store.set(id, record, ttl)),
      () => {
        state.version += 1
        return written(state, id, expiresAt)
      },
    )
  }
  const keys = state.changes.changedKeys(state.data)
  for (const key of keys) if (Object.hasOwn(state.data, key)) assertSerializable(key, state.data[key])
  const patch = buildPatch(state, keys, expiresAt)
  return andThen(
    callStore('patch', timeout, () => store.patch!(id, patch, ttl)),
    (result) => patched(state, id, expiresAt, result),
  )
}

function patched(state: SessionState, id: string, expiresAt: number, result: PatchResult): WriteOutcome {
  if (result === 'conflict') {
    throw new SessionStateError(
      'SESSION_CONFLICT',
      '[sess] Another request changed the session since it was loaded (strict mode): reload and retry.',
    )
  }
  if (result === 'missing') {
    state.services.emit({ type: 'patch-missing' })
    state.lifecycle = dropped(state.lifecycle, { destroyed: true, expireStale: true })
    state.changes.clear(state.data)
    return 'missing'
  }
  state.version += 1
  return written(state, id, expiresAt)
}

/** After a write: the session is stored as it is now, unless it moved to another id meanwhile. */
function written(state: SessionState, id: string, expiresAt: number): WriteOutcome {
  // A write that finished after the session moved to another id (regenerate, destroy) changes nothing more.
  if (state.id !== id) return 'ok'
  state.expiresAt = expiresAt
  state.lifecycle = stored(state.lifecycle)
  state.changes.clear(state.data)
  return 'ok'
}
