import type { SessionRecord } from '../store.js'
import { encodeMaxAge, SQL_SESSION_COLUMNS } from './sql-row.js'

/** How {@link sqlUpsertStatement} writes a row. */
export interface SessionRowEncoding {
  /** The write's time, epoch milliseconds: the `last_seen_at` value. */
  now: number
  /** Keep `userAgent` and `ip` (the store's opt-in device metadata); otherwise those columns are NULL. */
  device: boolean
  /** The widths of the `user_agent` and `ip` columns: a longer value is cut to fit. @default no limit */
  widths?: { userAgent: number; ip: number } | undefined
}

/** What differs between SQL dialects in {@link sqlUpsertStatement}: how a row with the same id is replaced. */
export interface SQLUpsertDialect {
  /** The clause before the assignments: MySQL `ON DUPLICATE KEY UPDATE`, SQLite `ON CONFLICT (id) DO UPDATE SET`. */
  conflict: string
  /** A column's new value in that clause: MySQL `VALUES(column)`, SQLite `excluded.column`. */
  assign(column: string): string
}

/**
 * The one `INSERT` of a whole session row with `?` parameters, one per column of `SQL_SESSION_COLUMNS` in its order,
 * replacing the row of the same id: what a SQL store's `set` runs. The inverse of `decodeSessionRow`: `data` as JSON
 * text, `max_age` through `encodeMaxAge`, a missing version written as 1, `last_seen_at` the write's time. `table` is
 * already quoted, `id` the stored id (hashed with `hashIds`).
 */
export function sqlUpsertStatement(
  table: string,
  id: string,
  record: SessionRecord,
  encoding: SessionRowEncoding,
  dialect: SQLUpsertDialect,
): { sql: string; params: unknown[] } {
  const columns = SQL_SESSION_COLUMNS.join(', ')
  const placeholders = SQL_SESSION_COLUMNS.map(() => '?').join(', ')
  const updates = SQL_SESSION_COLUMNS.slice(1).map((c) => `${c} = ${dialect.assign(c)}`)
  const sql = `INSERT INTO ${table} (${columns}) VALUES (${placeholders}) ${dialect.conflict} ${updates.join(', ')}`
  const text = (value: unknown, width: number | undefined): string | null =>
    encoding.device && typeof value === 'string' ? value.slice(0, width) : null
  const params = [
    id,
    JSON.stringify(record.data),
    record.createdAt,
    record.expiresAt,
    encoding.now,
    record.version ?? 1,
    typeof record.userId === 'string' ? record.userId : null,
    encodeMaxAge(record.maxAge),
    text(record.userAgent, encoding.widths?.userAgent),
    text(record.ip, encoding.widths?.ip),
  ]
  return { sql, params }
}
