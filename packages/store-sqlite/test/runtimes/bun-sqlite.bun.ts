// The shared store conformance suite and the SQLite-specific tests on Bun's built-in bun:sqlite. Run by Bun's test
// runner (`bun test ./test/runtimes/bun-sqlite.bun.ts`, from the runtime matrix), which serves the `vitest` imports.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Store } from '@sess/core'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import { Database } from 'bun:sqlite'
import { afterAll } from 'vitest'
import { sqliteStore } from '../../src/index.js'
import { sqliteSpecificTests } from '../helpers/store-specific.js'

const dir = mkdtempSync(join(tmpdir(), 'sess-bun-sqlite-'))
const db = new Database(join(dir, 'sessions.db'))
db.exec('PRAGMA journal_mode = WAL')
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

let tables = 0
const clock = fakeClock(Date.now())
const tableNames = new WeakMap<Store, string>()
describeStoreConformance('sqlite, bun:sqlite', {
  clock,
  async create() {
    const table = `sess_${++tables}`
    const store = sqliteStore({ client: db, table, clock })
    await store.ensureSchema()
    tableNames.set(store, table)
    return store
  },
  cleanup: (store) => void db.exec(`DROP TABLE IF EXISTS "${tableNames.get(store)}"`),
  additionalTests: (ctx) =>
    sqliteSpecificTests(
      ctx,
      () => db,
      (store) => tableNames.get(store)!,
      'in-process',
    ),
})
