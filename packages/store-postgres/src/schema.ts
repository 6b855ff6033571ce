import { SQL_SESSION_COLUMNS } from '@sess/core'
import { isValidName, quoteIdent } from './internal/identifier.js'

/** Where the store's table lives. */
export interface TableName {
  /** The table's name. @default 'sess_sessions' */
  table?: string | undefined
  /** The schema; without it, the first schema of the connection's `search_path`. @default undefined */
  schema?: string | undefined
}

/** The table of a store without a `table` option. */
export const DEFAULT_TABLE = 'sess_sessions'

/**
 * The version of the table layout; the shipped file is `migrations/001_create_sess_sessions.sql`, which the build
 * writes from `schemaSQL()`.
 */
export const SCHEMA_VERSION = 1

/** The columns the store reads and writes; `ensureSchema()` checks that an existing table has them all. */
export const COLUMN_NAMES: readonly string[] = SQL_SESSION_COLUMNS

/** The quoted, possibly schema-qualified name of the table, and the plain names of its indexes. */
export function qualifiedTable(name: TableName = {}): { table: string; expiresIndex: string; userIndex: string } {
  const table = name.table ?? DEFAULT_TABLE
  const prefix = name.schema === undefined ? '' : `${quoteIdent(name.schema)}.`
  return {
    table: prefix + quoteIdent(table),
    expiresIndex: `${table}_expires_at_idx`,
    userIndex: `${table}_user_id_idx`,
  }
}

/** Whether a table or schema name is usable (non-empty, no NUL, at most 48 bytes so index names fit). */
export function isValidTableName(name: TableName): boolean {
  return (
    (name.table === undefined || isValidName(name.table)) && (name.schema === undefined || isValidName(name.schema))
  )
}

/** The DDL statements of the store's schema, each idempotent (`IF NOT EXISTS`), without their semicolons. */
export interface SchemaStatements {
  /** Only with a `schema` option. */
  createSchema: string | undefined
  createTable: string
  createExpiresIndex: string
  createUserIndex: string
}

/** The DDL of the store's table and indexes, one statement each. */
export function schemaStatements(name: TableName = {}): SchemaStatements {
  const { table, expiresIndex, userIndex } = qualifiedTable(name)
  return {
    createSchema: name.schema === undefined ? undefined : `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name.schema)}`,
    createTable: `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,                  -- the session id, or its SHA-256 (hex) with hashIds
  data jsonb NOT NULL,                  -- the session data, patched key by key
  created_at timestamptz NOT NULL,      -- the absolute timeout counts from here
  expires_at timestamptz NOT NULL,      -- rows past this instant are never read, and swept
  last_seen_at timestamptz NOT NULL,    -- the last write or expiry refresh
  version integer NOT NULL DEFAULT 1,   -- incremented by every patch (strict mode compares it)
  user_id text,                         -- the bound user, for "your devices" and "log out everywhere"
  max_age jsonb,                        -- per-session cookie lifetime in seconds, JSON null for a browser session
  user_agent text,                      -- opt-in device metadata
  ip text                               -- opt-in device metadata
)`,
    createExpiresIndex: `CREATE INDEX IF NOT EXISTS ${quoteIdent(expiresIndex)} ON ${table} (expires_at)`,
    createUserIndex: `CREATE INDEX IF NOT EXISTS ${quoteIdent(userIndex)} ON ${table} (user_id) WHERE user_id IS NOT NULL`,
  }
}

/**
 * The SQL that creates the store's table and indexes (idempotent), for apps that run their own migrations. With the
 * default name it is the text of `migrations/001_create_sess_sessions.sql`.
 */
export function schemaSQL(name: TableName = {}): string {
  const ddl = schemaStatements(name)
  const statements = [ddl.createSchema, ddl.createTable, ddl.createExpiresIndex, ddl.createUserIndex]
  return `-- @sess/store-postgres schema, version ${SCHEMA_VERSION}\n\n${statements
    .filter((s) => s !== undefined)
    .map((s) => `${s};\n`)
    .join('\n')}`
}
