// Writes a SQL store's shipped migration, migrations/001_create_sess_sessions.sql, from the store's built
// schemaSQL() — the DDL ensureSchema() runs, comments included — so the file cannot drift from the store. Run by the
// build of store-mysql, store-postgres and store-sqlite after tsdown, from the package's folder; git ignores the file.
//
//   node ../../scripts/write-migration.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const FILE = 'migrations/001_create_sess_sessions.sql'

const { SCHEMA_VERSION, schemaSQL } = await import(pathToFileURL(resolve('dist/index.js')).href)
// 001 is the version-1 layout. A new layout ships as its own migration from the old one, which is for a person to write.
if (SCHEMA_VERSION !== 1) {
  throw new Error(`[write-migration] SCHEMA_VERSION is ${SCHEMA_VERSION}: ${FILE} holds version 1; add a migration`)
}
mkdirSync('migrations', { recursive: true })
writeFileSync(FILE, schemaSQL())
