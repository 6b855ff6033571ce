import type { SessionRecord, SessionRow } from '@sess/core'
import { decodeSessionRow } from '@sess/core'

export type { SessionRow } from '@sess/core'

/** The columns every read selects. */
export const COLUMNS = 'data, created_at, expires_at, last_seen_at, version, user_id, max_age, user_agent, ip'

/** The opt-in device metadata a record may carry next to the core's fields ("your devices"). */
export type DeviceFields = Pick<SessionRecord, 'userAgent' | 'ip'>

/**
 * The record held in a row, or why the row is not a sound session (core's `decodeSessionRow` with this driver's
 * numbers): the caller hands that reason to `invalidRecord()`, or leaves the row out of a listing.
 */
export function decodeRow(row: SessionRow, device: boolean): (SessionRecord & DeviceFields) | string {
  return decodeSessionRow(row, { device, toNumber })
}

/** An INTEGER column's number; a text or blob value in it (SQLite's types are per value) is no number. */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}
