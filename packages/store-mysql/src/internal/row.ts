import type { SessionRecord } from '@sess/core'

/**
 * The columns every read selects. The data comes back as text whatever the server (mysql2 parses MySQL's JSON type
 * itself, and would hand a JSON string over as a plain string), so one decoding path judges every row.
 */
export const COLUMNS =
  'CAST(data AS CHAR CHARACTER SET utf8mb4) AS data, created_at, expires_at, last_seen_at, version, user_id, max_age, user_agent, ip'

/** `max_age` of a browser-session cookie (`maxAge: null`); SQL NULL means "no per-session lifetime". */
export const BROWSER_SESSION = -1

/** The opt-in device metadata a record may carry next to the core's fields ("your devices"). */
export interface DeviceFields {
  /** The `User-Agent` of the request that created the session. */
  userAgent?: string | undefined
  /** The client IP of the request that created the session. */
  ip?: string | undefined
}

/** A row as mysql2 gives it: numbers may come as strings (`supportBigNumbers`). */
export interface SessionRow {
  data: unknown
  created_at: unknown
  expires_at: unknown
  last_seen_at: unknown
  version: unknown
  user_id: unknown
  max_age: unknown
  user_agent: unknown
  ip: unknown
}

/**
 * The record held in a row, or why the row is not a sound session (data that is not a JSON object, a null time or
 * version): the caller hands that reason to `invalidRecord()`, so the core starts a fresh session and reports
 * `record-invalid`, or leaves the row out of a listing.
 */
export function decodeRow(row: SessionRow, device: boolean): (SessionRecord & DeviceFields) | string {
  if (typeof row.data !== 'string') return 'data is null'
  let data: unknown
  try {
    data = JSON.parse(row.data)
  } catch {
    return 'data is not JSON'
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data is not an object'
  const createdAt = toNumber(row.created_at)
  const expiresAt = toNumber(row.expires_at)
  const version = toNumber(row.version)
  if (createdAt === undefined) return 'created_at is null'
  if (expiresAt === undefined) return 'expires_at is null'
  if (version === undefined) return 'version is null'
  const record: SessionRecord & DeviceFields = { data: data as Record<string, unknown>, createdAt, expiresAt, version }
  if (typeof row.user_id === 'string') record.userId = row.user_id
  if (row.max_age !== null && row.max_age !== undefined) {
    const maxAge = toNumber(row.max_age)
    if (maxAge === undefined) return 'max_age is not a number'
    record.maxAge = maxAge === BROWSER_SESSION ? null : maxAge
  }
  if (device) {
    if (typeof row.user_agent === 'string') record.userAgent = row.user_agent
    if (typeof row.ip === 'string') record.ip = row.ip
  }
  return record
}

/** `max_age` for a record's `maxAge`. */
export function encodeMaxAge(maxAge: number | null | undefined): number | null {
  return maxAge === undefined ? null : maxAge === null ? BROWSER_SESSION : maxAge
}

/** A BIGINT column's number, which the driver may hand over as a string. */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}
