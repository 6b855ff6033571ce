import type {
  SessionPatch,
  SessionRecord,
  SessionRowEncoding,
  SQLPatchDialect,
  SQLUpsertDialect,
  TouchPolicy,
} from '@sess/core'
import { sqlPatchStatement, sqlUpsertStatement } from '@sess/core'
import type { Statement } from './driver.js'
import { COLUMNS } from './row.js'

/**
 * The JSON path of one top-level key, quoted. SQLite ends a quoted path label at the first `"` and decodes JSON
 * escapes inside it (3.45+), so a quote is written `\u0022` and a backslash `\\`: any key names itself.
 */
export function keyPath(key: string): string {
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\u0022')}"`
}

/**
 * Whether a row holds a record the store can read: data a JSON object, the times and version numbers. Writes and
 * refreshes only ever match such rows, so a corrupt one (another tool's, a hand edit) is never extended, patched
 * into a readable shape or counted; reads report it instead. The CASE keeps json_type off text that is not JSON.
 */
export const SOUND_ROW = `CASE WHEN json_valid(data) THEN json_type(data) END = 'object'
  AND typeof(created_at) IN ('integer', 'real') AND typeof(expires_at) IN ('integer', 'real')
  AND typeof(version) IN ('integer', 'real') AND (max_age IS NULL OR typeof(max_age) IN ('integer', 'real'))`

/**
 * The expiry refresh of a read, in one `UPDATE … RETURNING` that only matches when the refresh is due, by the same
 * rule and the same arithmetic as core's `touchedExpiresAt`: the new expiry is `now + (max_age or the idle timeout)`,
 * capped by the absolute timeout, and it must gain at least `touchAfter` on a live row. A row it does not match is
 * not written at all.
 */
export function touchWhenDue(table: string, sid: string, policy: TouchPolicy): Statement {
  const idle = '(? + (CASE WHEN max_age >= 0 THEN max_age ELSE ? END) * 1000)'
  const idleParams = [policy.now, policy.idleTimeout]
  const absolute = policy.absoluteTimeout
  const next = absolute === null ? idle : `min(${idle}, created_at + ? * 1000)`
  const nextParams = absolute === null ? idleParams : [...idleParams, absolute]
  const sql = `UPDATE ${table} SET expires_at = ${next}, last_seen_at = ?
WHERE id = ? AND expires_at > ? AND ${SOUND_ROW} AND ${next} > ? AND ${next} - expires_at > 0 AND ${next} - expires_at >= ?
RETURNING ${COLUMNS}`
  const params = [...nextParams, policy.now, sid, policy.now, ...nextParams, policy.now, ...nextParams, ...nextParams]
  return [sql, [...params, policy.touchAfter * 1000]]
}

const PATCH: SQLPatchDialect = {
  // json(?) marks the text as JSON, so json_set inserts the value itself rather than a string of it.
  setKeys: (data, count) => `json_set(${data}${', ?, json(?)'.repeat(count)})`,
  removeKeys: (data, count) => `json_remove(${data}${', ?'.repeat(count)})`,
  keyPath,
  soundRow: SOUND_ROW,
}

const UPSERT: SQLUpsertDialect = {
  conflict: 'ON CONFLICT (id) DO UPDATE SET',
  assign: (column) => `excluded.${column}`,
}

/**
 * One `UPDATE` applying a patch (core's `sqlPatchStatement`): `json_set`/`json_remove` on the listed keys only, so
 * concurrent patches of different keys both land; the version check in the `WHERE` (strict mode); `expires_at > now`
 * so a destroyed or expired session is never brought back.
 */
export function patchStatement(table: string, sid: string, patch: SessionPatch, now: number): Statement {
  const { sql, params } = sqlPatchStatement(table, sid, patch, now, PATCH)
  return [sql, params]
}

/** The `INSERT … ON CONFLICT (id) DO UPDATE` of a whole row (core's `sqlUpsertStatement`). */
export function upsertStatement(
  table: string,
  sid: string,
  record: SessionRecord,
  encoding: Pick<SessionRowEncoding, 'now' | 'device'>,
): Statement {
  const { sql, params } = sqlUpsertStatement(table, sid, record, encoding, UPSERT)
  return [sql, params]
}
