import { SessionStoreError, SQL_SESSION_COLUMNS } from '@sess/core'
import type { MySQLClientLike } from './client.js'
import type { TableName } from './internal/table.js'
import { qualifiedTable } from './internal/table.js'

export type { TableName } from './internal/table.js'
export { DEFAULT_TABLE } from './internal/table.js'

/**
 * The version of the table layout; the shipped file is `migrations/001_create_sess_sessions.sql`, which the build
 * writes from `schemaSQL()`.
 */
export const SCHEMA_VERSION = 1

/** The columns the store reads and writes; `ensureSchema()` checks that an existing table has them all. */
export const COLUMN_NAMES: readonly string[] = SQL_SESSION_COLUMNS

/** The `CREATE TABLE IF NOT EXISTS` statement of the store's table, indexes included, without its semicolon. */
export function createTableStatement(name: TableName = {}): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(name)} (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,      -- the session id, or its SHA-256 (hex) with hashIds
  data JSON NOT NULL,                                                      -- the session data, patched key by key
  created_at BIGINT NOT NULL,                                              -- epoch ms; the absolute timeout counts from here
  expires_at BIGINT NOT NULL,                                              -- epoch ms; rows past it are never read, and swept
  last_seen_at BIGINT NOT NULL,                                            -- epoch ms of the last write or expiry refresh
  version BIGINT NOT NULL DEFAULT 1,                                       -- incremented by every patch (strict mode compares it)
  user_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,     -- the bound user, for "your devices" and "log out everywhere"
  max_age INT NULL,                                                        -- per-session cookie lifetime in seconds, -1 for a browser session
  user_agent VARCHAR(512) NULL,                                            -- opt-in device metadata
  ip VARCHAR(45) NULL,                                                     -- opt-in device metadata
  PRIMARY KEY (id),
  KEY sess_expires_at (expires_at),
  KEY sess_user_id (user_id, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`
}

/**
 * The SQL that creates the store's table and indexes (idempotent), for apps that run their own migrations. With the
 * default name it is the text of `migrations/001_create_sess_sessions.sql`.
 */
export function schemaSQL(name: TableName = {}): string {
  return `-- @sess/store-mysql schema, version ${SCHEMA_VERSION}\n\n${createTableStatement(name)};\n`
}

/**
 * Creates the table when it does not exist, then checks that it has every column the store uses. Idempotent. Fails
 * with a `SessionStoreError` (code `STORE_FAILURE`, operation `ensureSchema`, the driver's error as `cause`) when the
 * user lacks the right to create it or an existing table of that name has another shape.
 */
export async function ensureSchema(client: MySQLClientLike, name: TableName): Promise<void> {
  const shown = qualifiedTable(name)
  try {
    await client.query(createTableStatement(name))
  } catch (cause) {
    throw failure(
      `Could not create the session table ${shown}: grant CREATE on its database to this user, or run ` +
        '@sess/store-mysql/migrations/001_create_sess_sessions.sql (or schemaSQL()) yourself and skip ensureSchema().',
      cause,
    )
  }
  try {
    await client.query(`SELECT ${COLUMN_NAMES.join(', ')} FROM ${shown} LIMIT 0`)
  } catch (cause) {
    throw failure(
      `The table ${shown} exists but lacks the store's columns (${COLUMN_NAMES.join(', ')}): rename it, or pass another table name.`,
      cause,
    )
  }
}

function failure(message: string, cause: unknown): SessionStoreError {
  return new SessionStoreError('STORE_FAILURE', 'ensureSchema', `[sess] [store-mysql] ${message}`, { cause })
}
