import type { StoredSession } from '../store.js'

/** Why a stored value cannot be used as a session, or undefined when its shape is sound. */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object'
  const r = value as Partial<StoredSession>
  if (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) return 'data is not an object'
  if (typeof r.createdAt !== 'number' || !Number.isFinite(r.createdAt)) return 'createdAt is not a number'
  if (typeof r.expiresAt !== 'number' || !Number.isFinite(r.expiresAt)) return 'expiresAt is not a number'
  if (r.version !== undefined && typeof r.version !== 'number') return 'version is not a number'
  if (r.userId !== undefined && r.userId !== null && typeof r.userId !== 'string') return 'userId is not a string'
  if (r.maxAge !== undefined && r.maxAge !== null && typeof r.maxAge !== 'number') return 'maxAge is not a number'
  return undefined
}
