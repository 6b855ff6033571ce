// The shared store conformance suite and the SQLite-specific tests on Bun's built-in bun:sqlite. Run by Bun's test
// runner (`bun test ./test/runtimes/bun-sqlite.bun.ts`, from the runtime matrix), which serves the `vitest` imports.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Database } from 'bun:sqlite'
import { afterAll } from 'vitest'
import { describeSQLiteConformance } from '../helpers/conformance.js'

const dir = mkdtempSync(join(tmpdir(), 'sess-bun-sqlite-'))
const db = new Database(join(dir, 'sessions.db'))
db.exec('PRAGMA journal_mode = WAL')
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describeSQLiteConformance('sqlite, bun:sqlite', () => db, 'in-process')
