import Database from 'better-sqlite3'
import { commonBadStoreOptions, itRejectsEachOption } from '@sess/testing'
import { describe, expect, it } from 'vitest'
import type { D1DatabaseLike, SQLiteClientLike } from './index.js'
import { sqliteStore } from './index.js'

const client = new Database(':memory:')

describe('sqliteStore options', () => {
  it('accepts better-sqlite3 and D1 shapes without running a statement', () => {
    const d1: D1DatabaseLike = {
      prepare: () => {
        throw new Error('not at construction')
      },
      batch: async () => [],
    }
    const clients: SQLiteClientLike[] = [client, d1]
    for (const c of clients) expect(() => sqliteStore({ client: c })).not.toThrow()
  })

  itRejectsEachOption('store-sqlite', sqliteStore, [
    ...commonBadStoreOptions(client),
    ['a client without prepare', { client: {} }],
    ['an empty table name', { client, table: '' }],
    ['a table name with NUL', { client, table: 'a\u0000b' }],
    ['a table in SQLite’s own namespace', { client, table: 'sqlite_sessions' }],
    ['a table name over 48 characters', { client, table: 'x'.repeat(49) }],
  ])

  it('quotes the table name, whatever it contains', async () => {
    const store = sqliteStore({ client, table: 'web"sessions; DROP TABLE users' })
    expect(store.table).toBe('"web""sessions; DROP TABLE users"')
    await store.ensureSchema()
    expect(await store.get('id')).toBeNull()
    const names = client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
    expect(names).toEqual([{ name: 'web"sessions; DROP TABLE users' }])
  })
})
