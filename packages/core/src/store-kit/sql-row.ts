import type { SessionRecord } from '../store.js'
import type { SQLUserSession } from './sql-store.js'

/**
 * The column layout of the SQL stores' session table, in order: a store's `ensureSchema()` checks that an existing
 * table has them all. The DDL (types, indexes) stays in each store, in its own dialect.
 */
export const SQL_SESSION_COLUMNS: readonly string[] = [
  'id',
  'data',
  'created_at',
  'expires_at',
  'last_seen_at',
  'version',
  'user_id',
  'max_age',
  'user_agent',
  'ip',
]

/** The `max_age` column's value for a browser-session cookie (`maxAge: null`); SQL NULL means "no own lifetime". */
export const BROWSER_SESSION_MAX_AGE = -1

/** A session row as a driver hands it over, before any decoding (the columns of {@link SQL_SESSION_COLUMNS}). */
export interface SessionRow {
  /** The session data as JSON text. */
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

/** How {@link decodeSessionRow} reads a row. */
export interface SessionRowDecoding {
  /** Keep `user_agent` and `ip` (the store's opt-in device metadata); otherwise they are left out. */
  device: boolean
  /** A numeric column's number, or undefined when it holds none (drivers differ: strings, bigints). */
  toNumber(value: unknown): number | undefined
}

/**
 * The record held in a row, or why the row is not a sound session (data that is not a JSON object, a null time or
 * version, a `max_age` that is no number): hand that reason to `invalidRecord()`, so the core starts a fresh session
 * and reports `record-invalid`, or leave the row out of a listing. The reason never contains the id or the data.
 */
export function decodeSessionRow(row: SessionRow, decoding: SessionRowDecoding): SessionRecord | string {
  if (typeof row.data !== 'string') return 'data is null'
  let data: unknown
  try {
    data = JSON.parse(row.data)
  } catch {
    return 'data is not JSON'
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data is not an object'
  const { toNumber } = decoding
  const createdAt = toNumber(row.created_at)
  const expiresAt = toNumber(row.expires_at)
  const version = toNumber(row.version)
  if (createdAt === undefined) return 'created_at is null'
  if (expiresAt === undefined) return 'expires_at is null'
  if (version === undefined) return 'version is null'
  const record: SessionRecord = { data: data as Record<string, unknown>, createdAt, expiresAt, version }
  if (typeof row.user_id === 'string') record.userId = row.user_id
  if (row.max_age !== null && row.max_age !== undefined) {
    const maxAge = toNumber(row.max_age)
    if (maxAge === undefined) return 'max_age is not a number'
    record.maxAge = maxAge === BROWSER_SESSION_MAX_AGE ? null : maxAge
  }
  if (decoding.device) {
    if (typeof row.user_agent === 'string') record.userAgent = row.user_agent
    if (typeof row.ip === 'string') record.ip = row.ip
  }
  return record
}

/** The `max_age` column's value for a record's `maxAge` (the inverse of what {@link decodeSessionRow} reads). */
export function encodeMaxAge(maxAge: number | null | undefined): number | null {
  return maxAge === undefined ? null : maxAge === null ? BROWSER_SESSION_MAX_AGE : maxAge
}

/**
 * The sessions a `listByUser` query returned (rows of the layout plus `id`), as {@link SQLUserSession}s: corrupt rows
 * are left out (reading one by its id reports it), `listedId` turns a stored id into the id to list (`'#' + hash`
 * with hashed ids), and `lastSeenAt` falls back to the creation time.
 */
export function listSessionRows(
  rows: Iterable<SessionRow & { id: unknown }>,
  decoding: SessionRowDecoding & { listedId(storedId: string): string },
): SQLUserSession[] {
  const list: SQLUserSession[] = []
  for (const row of rows) {
    const session = decodeSessionRow(row, decoding)
    if (typeof session !== 'string') {
      const lastSeenAt = decoding.toNumber(row.last_seen_at) ?? session.createdAt
      list.push({ id: decoding.listedId(String(row.id)), session, lastSeenAt })
    }
  }
  return list
}
