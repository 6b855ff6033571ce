import type { SessionPatch } from '@sess/core'
import { encodeMaxAge } from './row.js'

/** The JSON path of one top-level key, quoted, so any key (dots, quotes, spaces, unicode) names itself. */
export function keyPath(key: string): string {
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/**
 * Whether a row holds a record the store can read: data a JSON object, the times and version set. Writes and
 * refreshes only ever match such rows, so a corrupt one (another tool's, a hand edit) is never extended, patched
 * into a readable shape or counted; reads report it instead. The CASE keeps JSON_TYPE off text that is not JSON
 * (a table whose data column a migration turned into text).
 */
export const SOUND_ROW = `CASE WHEN JSON_VALID(data) THEN JSON_TYPE(data) END = 'OBJECT'
  AND created_at IS NOT NULL AND expires_at IS NOT NULL AND version IS NOT NULL`

/** The JSON text of one data value; a value JSON cannot represent (a function) is a caller error. */
export function jsonText(key: string, value: unknown): string {
  const text = JSON.stringify(value)
  if (typeof text !== 'string') {
    throw new TypeError(`[sess] [store-mysql] The session value of ${JSON.stringify(key)} cannot be stored as JSON.`)
  }
  return text
}

/**
 * One `UPDATE` applying a patch on the server: `JSON_SET`/`JSON_REMOVE` on the listed keys only, so concurrent patches
 * of different keys both land; the version check in the `WHERE` (strict mode); `expires_at > now` so a destroyed or
 * expired session is never brought back.
 */
export function patchStatement(
  table: string,
  sid: string,
  patch: SessionPatch,
  now: number,
): { sql: string; values: unknown[] } {
  let data = 'data'
  const values: unknown[] = []
  const sets = Object.entries(patch.set)
  if (sets.length > 0) {
    // JSON_EXTRACT(text, '$') turns the text into a JSON value on MySQL and MariaDB alike (MariaDB has no CAST AS JSON).
    data = `JSON_SET(data${", ?, JSON_EXTRACT(?, '$')".repeat(sets.length)})`
    for (const [key, value] of sets) values.push(keyPath(key), jsonText(key, value))
  }
  if (patch.unset.length > 0) {
    data = `JSON_REMOVE(${data}${', ?'.repeat(patch.unset.length)})`
    for (const key of patch.unset) values.push(keyPath(key))
  }
  const assignments = [`data = ${data}`, 'expires_at = ?', 'last_seen_at = ?', 'version = version + 1']
  values.push(patch.expiresAt, now)
  if (patch.userId !== undefined) {
    assignments.push('user_id = ?')
    values.push(patch.userId)
  }
  if (patch.maxAge !== undefined) {
    assignments.push('max_age = ?')
    values.push(encodeMaxAge(patch.maxAge))
  }
  let where = `id = ? AND expires_at > ? AND ${SOUND_ROW}`
  values.push(sid, now)
  if (patch.expectedVersion !== undefined) {
    where += ' AND version = ?'
    values.push(patch.expectedVersion)
  }
  return { sql: `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${where}`, values }
}
