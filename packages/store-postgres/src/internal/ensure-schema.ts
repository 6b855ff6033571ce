import { SessionConfigError, SessionStoreError } from '@sess/core'
import type { TableName } from '../schema.js'
import { COLUMN_NAMES, qualifiedTable, schemaStatements } from '../schema.js'
import type { RunSQL } from './driver.js'
import { quoteIdent } from './identifier.js'

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`
const PERMISSION_DENIED = '42501'

/**
 * Creates what is missing of the store's schema, table and indexes, in one statement. Only missing objects are
 * created, because `CREATE ... IF NOT EXISTS` checks rights before existence: an app role without DDL rights then
 * passes as long as a migration already created everything. A transaction-scoped advisory lock keeps instances that
 * boot together from racing. An existing table's
 * columns are checked first, so a foreign table fails here rather than on the first request.
 */
export async function ensureSchema(run: RunSQL, name: TableName): Promise<void> {
  const { table, expiresIndex, userIndex } = qualifiedTable(name)
  const inSchema = (object: string): string =>
    literal(name.schema === undefined ? quoteIdent(object) : `${quoteIdent(name.schema)}.${quoteIdent(object)}`)
  // A foreign table of the same name (e.g. connect-pg-simple's) fails here, before any index is added to it.
  await checkColumns(run, table)
  const ddl = schemaStatements(name)
  const body = `BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(${literal(`@sess/store-postgres ${table}`)}));
  ${name.schema === undefined ? '' : `IF to_regnamespace(${literal(quoteIdent(name.schema))}) IS NULL THEN ${ddl.createSchema}; END IF;`}
  IF to_regclass(${literal(table)}) IS NULL THEN ${ddl.createTable}; END IF;
  IF to_regclass(${inSchema(expiresIndex)}) IS NULL THEN ${ddl.createExpiresIndex}; END IF;
  IF to_regclass(${inSchema(userIndex)}) IS NULL THEN ${ddl.createUserIndex}; END IF;
END`
  try {
    await run(`DO $sess_ddl$${body}$sess_ddl$`, [])
  } catch (error) {
    const denied = (error as { code?: unknown })?.code === PERMISSION_DENIED
    throw new SessionStoreError(
      'STORE_FAILURE',
      'ensureSchema',
      denied
        ? `[sess] [store-postgres] ensureSchema() may not create ${table} or its indexes (permission denied). Run migrations/001_create_sess_sessions.sql (or schemaSQL()) as a role that may, or grant CREATE on the schema to this one.`
        : `[sess] [store-postgres] ensureSchema() could not create ${table}: ${(error as Error)?.message}. Check the connection, or run migrations/001_create_sess_sessions.sql yourself.`,
      { cause: error },
    )
  }
}

async function checkColumns(run: RunSQL, table: string): Promise<void> {
  const rows = await run(
    'SELECT attname::text AS name FROM pg_attribute WHERE attrelid = to_regclass($1::text) AND attnum > 0 AND NOT attisdropped',
    [table],
  )
  if (rows.length === 0) return // no such table yet
  const present = new Set(rows.map((row) => row.name))
  const missing = COLUMN_NAMES.filter((column) => !present.has(column))
  if (missing.length > 0) {
    throw new SessionConfigError(
      'OPTION_INVALID',
      `[sess] [store-postgres] The table ${table} exists but has no column ${missing.join(', ')}: it is not a sess table. Pick another \`table\` (connect-pg-simple's is "session"; see the README to move its sessions over).`,
    )
  }
}
