import type { SessionPatch, SessionRecord, SessionRowEncoding, SQLPatchDialect, SQLUpsertDialect } from '@sess/core'
import { sqlPatchStatement, sqlUpsertStatement } from '@sess/core'

/**
 * Whether a row holds a record the store can read: data a JSON object, the times and version set. Writes and
 * refreshes only ever match such rows, so a corrupt one (another tool's, a hand edit) is never extended, patched
 * into a readable shape or counted; reads report it instead. The CASE keeps JSON_TYPE off text that is not JSON
 * (a table whose data column a migration turned into text).
 */
export const SOUND_ROW = `CASE WHEN JSON_VALID(data) THEN JSON_TYPE(data) END = 'OBJECT'
  AND created_at IS NOT NULL AND expires_at IS NOT NULL AND version IS NOT NULL`

/** The JSON path of one top-level key, quoted, so any key (dots, quotes, spaces, unicode) names itself. */
export function keyPath(key: string): string {
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

const PATCH: SQLPatchDialect = {
  // JSON_EXTRACT(text, '$') turns the text into a JSON value on MySQL and MariaDB alike (MariaDB has no CAST AS JSON).
  setKeys: (data, count) => `JSON_SET(${data}${", ?, JSON_EXTRACT(?, '$')".repeat(count)})`,
  removeKeys: (data, count) => `JSON_REMOVE(${data}${', ?'.repeat(count)})`,
  keyPath,
  soundRow: SOUND_ROW,
}

const UPSERT: SQLUpsertDialect = { conflict: 'ON DUPLICATE KEY UPDATE', assign: (column) => `VALUES(${column})` }

// The VARCHAR widths of the schema's user_agent and ip columns.
const WIDTHS = { userAgent: 512, ip: 45 }

/**
 * One `UPDATE` applying a patch on the server (core's `sqlPatchStatement`): `JSON_SET`/`JSON_REMOVE` on the listed
 * keys only, so concurrent patches of different keys both land; the version check in the `WHERE` (strict mode);
 * `expires_at > now` so a destroyed or expired session is never brought back.
 */
export function patchStatement(table: string, sid: string, patch: SessionPatch, now: number): Statement {
  return sqlPatchStatement(table, sid, patch, now, PATCH)
}

/** The `INSERT … ON DUPLICATE KEY UPDATE` of a whole row (core's `sqlUpsertStatement`), device metadata cut to fit. */
export function upsertStatement(table: string, sid: string, record: SessionRecord, encoding: Encoding): Statement {
  return sqlUpsertStatement(table, sid, record, { ...encoding, widths: WIDTHS }, UPSERT)
}

/** The write's time and whether device metadata is kept. */
type Encoding = Pick<SessionRowEncoding, 'now' | 'device'>

/** A statement and its `?` parameters. */
export interface Statement {
  sql: string
  params: unknown[]
}
