import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { schemaSQL, sqliteStore } from '../src/index.js'
import { describeSQLiteConformance } from './helpers/conformance.js'

// A real database file in WAL mode, as an app would open it; every store of the suite gets its own table.
const dir = mkdtempSync(join(tmpdir(), 'sess-sqlite-'))
const file = join(dir, 'sessions.db')
const db = new Database(file)
db.pragma('journal_mode = WAL')
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describeSQLiteConformance('sqlite, better-sqlite3', () => db, 'in-process')

describe('better-sqlite3 specifics', () => {
  it('ships a migration identical to schemaSQL(), which SQLite runs as it is', async () => {
    const shipped = readFileSync(new URL('../migrations/001_create_sess_sessions.sql', import.meta.url), 'utf8')
    expect(shipped).toBe(schemaSQL())
    const fresh = new Database(':memory:')
    fresh.exec(schemaSQL('mine'))
    fresh.exec(schemaSQL('mine'))
    await sqliteStore({ client: fresh, table: 'mine' }).ensureSchema()
    fresh.close()
  })

  it('ensureSchema on a read-only database fails with a coded error that says what to do', async () => {
    const readonly = new Database(file, { readonly: true })
    try {
      const error = await sqliteStore({ client: readonly, table: 'never_created' })
        .ensureSchema()
        .catch((e) => e)
      expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_FAILURE', operation: 'ensureSchema' })
      expect(error.message).toMatch(/^\[sess\] \[store-sqlite\] Could not create the session table .*read-write/)
    } finally {
      readonly.close()
    }
  })
})
