import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Session, SessionHandle } from '@sess/core'
import { createSessionManager } from '@sess/core'
import { fakeClock } from '@sess/testing'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { schemaSQL, sqliteStore } from '../src/index.js'
import { countStatements } from './helpers/counting.js'
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

const clock = fakeClock(Date.now())
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

  it('through @sess/core: 0 statements without a cookie, 1 per read, 1 per write and destroy', async () => {
    const counting = countStatements(db)
    const store = sqliteStore({ client: counting.client, table: 'round_trips', clock, sweep: false })
    await store.ensureSchema()
    const manager = createSessionManager({
      secret: 'a-test-secret-that-is-long-enough-0123456789',
      store,
      idleTimeout: 3600,
      clock,
    })
    const rows: Record<string, string> = {}
    const measure = async (request: string, cookie: string | undefined, handler?: (s: Session) => unknown) => {
      const before = counting.statements.length
      const handle: SessionHandle = await manager.load({ cookie })
      const loaded = counting.statements.length - before
      await handler?.(handle.session)
      const { setCookie } = await handle.commit()
      rows[request] = `${loaded}+${counting.statements.length - before - loaded}`
      return setCookie[0]?.split(';')[0] ?? cookie
    }
    await measure('no cookie, session unused', undefined)
    const cookie = await measure('new session', undefined, (s) => s.set('views' as never, 1 as never))
    await measure('read-only, refresh not due', cookie, (s) => s.get('views' as never))
    clock.advance(600_000)
    await measure('read-only, refresh due', cookie, (s) => s.get('views' as never))
    await measure('write to an existing session', cookie, (s) => s.set('views' as never, 2 as never))
    await measure('regenerate (login)', cookie, (s) => s.regenerate({ keepData: true }))
    const other = await measure('new session', undefined, (s) => s.set('views' as never, 1 as never))
    await measure('destroy', other, (s) => s.destroy())
    expect(rows).toEqual({
      'no cookie, session unused': '0+0',
      'new session': '0+1',
      'read-only, refresh not due': '1+0',
      'read-only, refresh due': '2+0',
      'write to an existing session': '1+1',
      'regenerate (login)': '1+2',
      destroy: '1+1',
    })
  })
})
