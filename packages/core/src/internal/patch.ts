import type { SessionPatch, StoredSession } from '../store.js'

/**
 * Applies a field-level patch to a record in place, with the semantics every store must give `patch`: strict
 * version check first (nothing changes on `'conflict'`), then set and unset the listed top-level keys, move the
 * expiry, bump the version, and bind, rebind or unbind (`null`) the user. The caller answers `'missing'` itself
 * when there is no live record: a patch never creates one.
 */
export function applyPatch(session: StoredSession, patch: SessionPatch): 'ok' | 'conflict' {
  if (patch.expectedVersion !== undefined && patch.expectedVersion !== session.version) return 'conflict'
  for (const [key, value] of Object.entries(patch.set)) {
    // defineProperty, not assignment: a key named __proto__ must stay data, not become the prototype.
    Object.defineProperty(session.data, key, { value, writable: true, enumerable: true, configurable: true })
  }
  for (const key of patch.unset) delete session.data[key]
  session.expiresAt = patch.expiresAt
  session.version = (session.version ?? 0) + 1
  if (patch.userId === null) delete session.userId
  else if (patch.userId !== undefined) session.userId = patch.userId
  if (patch.maxAge !== undefined) session.maxAge = patch.maxAge
  return 'ok'
}
