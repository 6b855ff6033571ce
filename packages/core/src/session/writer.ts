import { SessionStateError } from '../errors.js'
import { callStore } from '../internal/store-call.js'
import { ttlSeconds } from '../store-kit/expiry.js'
import { dropped, written } from './lifecycle.js'
import { buildPatch } from './patch-builder.js'
import type { StoreAction } from './plan.js'
import { assertSerializable } from './serializable.js'
import type { SessionState } from './state.js'

/**
 * Performs a planned store action for the session's current id and moves its lifecycle on. Resolves `'missing'`
 * when a patch found no record (destroyed or expired by another request): the session is then unsaved, never
 * resurrected, and its cookie is expired.
 */
export async function writeSession(
  state: SessionState,
  action: StoreAction,
  expiresAt: number,
  now: number,
): Promise<'ok' | 'missing'> {
  if (action === 'none') return 'ok'
  const { store, id } = state
  const timeout = state.services.options.storeTimeout
  const ttl = ttlSeconds(expiresAt, now)
  if (action === 'touch') {
    if (store.touch) await callStore('touch', timeout, () => store.touch!(id, expiresAt, ttl))
    else await callStore('set', timeout, () => store.set(id, state.toRecord(expiresAt, state.version), ttl))
  } else if (action === 'set') {
    for (const key of Object.keys(state.data)) assertSerializable(key, state.data[key])
    const record = state.toRecord(expiresAt, state.version + 1)
    await callStore('set', timeout, () => store.set(id, record, ttl))
    state.version += 1
  } else {
    const keys = state.changes.changedKeys(state.data)
    for (const key of keys) if (Object.hasOwn(state.data, key)) assertSerializable(key, state.data[key])
    const patch = buildPatch(state, keys, expiresAt)
    const result = await callStore('patch', timeout, () => store.patch!(id, patch, ttl))
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
  }
  // A write that finished after the session moved to another id (regenerate, destroy) changes nothing more.
  if (state.id !== id) return 'ok'
  state.expiresAt = expiresAt
  state.lifecycle = written(state.lifecycle)
  state.changes.clear(state.data)
  return 'ok'
}
