import { SessionStoreError, SQL_SESSION_COLUMNS } from '@sess/core'
import type { Driver } from './internal/driver.js'
import { DEFAULT_TABLE, quoteIdent } from './internal/table.js'

export { DEFAULT_TABLE } from './internal/table.js'

/**
 * The version of the table layout; the shipped file is `migrations/001_create_sess_sessions.sql`, which the build
 * writes from `schemaSQL()`.
 */
export const SCHEMA_VERSION = 1

/** The columns the store reads and writes; `ensureSchema()` checks that an existing table has them all. */
export const COLUMN_NAMES: readonly string[] = SQL_SESSION_COLUMNS

/** The DDL of the store's table and indexes, one idempotent statement each (`IF NOT EXISTS`), without semicolons. */
export function schemaStatements(table: string = DEFAULT_TABLE): string[] {
  const t = quoteIdent(table)
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  id TEXT NOT NULL PRIMARY KEY,         -- the session id, or its SHA-256 (hex) with hashIds
  data TEXT NOT NULL,                   -- the session data as JSON text, patched key by key
  created_at INTEGER NOT NULL,          -- epoch ms; the absolute timeout counts from here
  expires_at INTEGER NOT NULL,          -- epoch ms; rows past it are never read, and swept
  last_seen_at INTEGER NOT NULL,        -- epoch ms of the last write or expiry refresh
  version INTEGER NOT NULL DEFAULT 1,   -- incremented by every patch (strict mode compares it)
  user_id TEXT,                         -- the bound user, for "your devices" and "log out everywhere"
  max_age INTEGER,                      -- per-session cookie lifetime in seconds, -1 for a browser session
  user_agent TEXT,                      -- opt-in device metadata
  ip TEXT                               -- opt-in device metadata
)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_expires_at_idx`)} ON ${t} (expires_at)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_user_id_idx`)} ON ${t} (user_id, expires_at) WHERE user_id IS NOT NULL`,
  ]
}

/**
 * The SQL that creates the store's table and indexes (idempotent), for apps that run their own migrations (e.g.
 * `wrangler d1 migrations`). With the default name it is the text of `migrations/001_create_sess_sessions.sql`.
 */
export function schemaSQL(table: string = DEFAULT_TABLE): string {
  const statements = schemaStatements(table).map((s) => `${s};\n`)
  return `-- @sess/store-sqlite schema, version ${SCHEMA_VERSION}\n\n${statements.join('\n')}`
}

/**
 * Creates the table and indexes when missing, then checks that the table has every column the store uses.
 * Idempotent. Fails with a `SessionStoreError` (code `STORE_FAILURE`, operation `ensureSchema`, the driver's error as
 * `cause`) when the database is read-only or a table of that name has another shape.
 */
export async function ensureSchema(driver: Driver, table: string): Promise<void> {
  const [createTable, ...createIndexes] = schemaStatements(table)
  await attempt(
    () => driver.run([createTable!, []]),
    `Could not create the session table ${quoteIdent(table)}: open the database read-write, or apply ` +
      '@sess/store-sqlite/migrations/001_create_sess_sessions.sql (or schemaSQL()) yourself and skip ensureSchema().',
  )
  await attempt(
    () => driver.all([`SELECT ${COLUMN_NAMES.join(', ')} FROM ${quoteIdent(table)} LIMIT 0`, []]),
    `The table ${quoteIdent(table)} exists but lacks the store's columns (${COLUMN_NAMES.join(', ')}): rename it, or pass another table name.`,
  )
  for (const sql of createIndexes) {
    await attempt(() => driver.run([sql, []]), `Could not create the indexes of ${quoteIdent(table)}.`)
  }
}

async function attempt(run: () => Promise<unknown>, message: string): Promise<void> {
  try {
    await run()
  } catch (cause) {
    throw new SessionStoreError('STORE_FAILURE', 'ensureSchema', `[sess] [store-sqlite] ${message}`, { cause })
  }
}
