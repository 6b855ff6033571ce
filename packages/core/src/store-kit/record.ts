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

const TIMES = ['createdAt', 'expiresAt'] as const
/** The optional fields: their type, and whether `null` is allowed. One loop instead of a line each (edge bundle). */
const OPTIONAL: ReadonlyArray<readonly [keyof SessionRecord, 'number' | 'string', boolean]> = [
  ['version', 'number', false],
  ['userId', 'string', true],
  ['maxAge', 'number', true],
  ['userAgent', 'string', false],
  ['ip', 'string', false],
]

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
  for (const key of TIMES) if (!Number.isFinite(r[key])) return `${key} is not a number`
  for (const [key, type, nullable] of OPTIONAL) {
    const field = r[key]
    if (field !== undefined && !(nullable && field === null) && typeof field !== type) return `${key} is not a ${type}`
  }
  return undefined
}
