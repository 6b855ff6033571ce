import type { SessionPatch } from '../store.js'
import { setOwn } from '../store-kit/safe-key.js'
import type { SessionState } from './state.js'

/** The field-level change set for the keys that changed, plus the user binding and lifetime when they changed. */
export function buildPatch(state: SessionState, keys: string[], expiresAt: number): SessionPatch {
  const patch: SessionPatch = { set: {}, unset: [], expiresAt }
  for (const key of keys) {
    if (Object.hasOwn(state.data, key)) setOwn(patch.set, key, state.data[key])
    else patch.unset.push(key)
  }
  if (state.services.options.strict) patch.expectedVersion = state.version
  if (state.changes.has('user')) patch.userId = state.userId ?? null
  if (state.changes.has('maxAge')) patch.maxAge = state.maxAge ?? null
  return patch
}
