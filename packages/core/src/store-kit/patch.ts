import type { SessionPatch, SessionRecord } from '../store.js'
import { setOwn } from './safe-key.js'

/**
 * Applies a field-level patch to a record in place, with the semantics every store must give `patch`: strict
 * version check first (nothing changes on `'conflict'`), then set and unset the listed top-level keys, move the
 * expiry, bump the version, and bind, rebind or unbind (`null`) the user. The caller answers `'missing'` itself
 * when there is no live record: a patch never creates one.
 */
export function applyPatch(record: SessionRecord, patch: SessionPatch): 'ok' | 'conflict' {
  if (patch.expectedVersion !== undefined && patch.expectedVersion !== record.version) return 'conflict'
  for (const key of Object.keys(patch.set)) setOwn(record.data, key, patch.set[key])
  for (const key of patch.unset) delete record.data[key]
  record.expiresAt = patch.expiresAt
  record.version = (record.version ?? 0) + 1
  if (patch.userId === null) delete record.userId
  else if (patch.userId !== undefined) record.userId = patch.userId
  if (patch.maxAge !== undefined) record.maxAge = patch.maxAge
  return 'ok'
}
