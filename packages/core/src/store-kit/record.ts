import type { SessionRecord } from '../store.js'

// Symbol.for: a store built against another copy of @sess/core marks records the same way.
const INVALID = Symbol.for('@sess/core/invalid-record')

/**
 * What a store returns for a value it found under a session's key but cannot decode (corrupt, foreign, from another
 * app): the core then starts a fresh session and reports `record-invalid` with `reason` through `onEvent`, instead
 * of the value passing for a plain miss. Never include the session id or data in `reason`.
 */
export function invalidRecord(reason: string): SessionRecord {
  return { [INVALID]: reason } as unknown as SessionRecord
}

/**
 * Why a stored value cannot be used as a session record (including a value marked with {@link invalidRecord}), or
 * undefined when its shape is sound. The core runs it on every record a store returns; a store may run it before
 * writing or when listing, to skip what `get` would reject.
 */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object'
  const marked = (value as Record<symbol, unknown>)[INVALID]
  if (typeof marked === 'string') return marked
  const r = value as Partial<SessionRecord>
  if (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) return 'data is not an object'
  // Number.isFinite is false for anything that is not a number.
  // Straight-line checks, not a table: this runs on every record read, and a loop of keyed loads measured ~6× slower.
  if (!Number.isFinite(r.createdAt)) return 'createdAt is not a number'
  if (!Number.isFinite(r.expiresAt)) return 'expiresAt is not a number'
  if (r.version !== undefined && typeof r.version !== 'number') return 'version is not a number'
  if (r.userId != null && typeof r.userId !== 'string') return 'userId is not a string'
  if (r.maxAge != null && typeof r.maxAge !== 'number') return 'maxAge is not a number'
  if (r.userAgent !== undefined && typeof r.userAgent !== 'string') return 'userAgent is not a string'
  if (r.ip !== undefined && typeof r.ip !== 'string') return 'ip is not a string'
  return undefined
}
