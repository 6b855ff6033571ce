import mysql from 'mysql2'
import mysqlPromise from 'mysql2/promise'
import { commonBadStoreOptions, itRejectsEachOption } from '@sess/testing'
import { describe, expect, it } from 'vitest'
import type { MySQLClientLike } from './index.js'
import { mysqlStore } from './index.js'

const client = { query: async () => [[], []] }

describe('mysqlStore options', () => {
  it('accepts a mysql2 promise Pool, Connection and PoolConnection, without a round trip', () => {
    const pool = mysqlPromise.createPool({ host: '127.0.0.1', port: 1 })
    expect(() => mysqlStore({ client: pool })).not.toThrow()
    // Compile-time: each promise-API client type fits the structural client type.
    const clients: MySQLClientLike[] = [pool, {} as mysqlPromise.Connection, {} as mysqlPromise.PoolConnection]
    expect(clients).toHaveLength(3)
    expect(() => mysqlStore({ client: mysql.createPool({ host: '127.0.0.1', port: 1 }).promise() })).not.toThrow()
  })

  it("refuses mysql2's callback API with a hint", () => {
    const callbackPool = mysql.createPool({ host: '127.0.0.1', port: 1 })
    expect(() => mysqlStore({ client: callbackPool as never })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID', message: expect.stringContaining('pool.promise()') }),
    )
  })

  itRejectsEachOption('store-mysql', mysqlStore, [
    ...commonBadStoreOptions(client),
    ['a client without query', { client: {} }],
    ['an empty table name', { client, table: '' }],
    ['a table name with NUL', { client, table: 'a\u0000b' }],
    ['a table name over 64 characters', { client, table: 'x'.repeat(65) }],
    ['an empty schema', { client, schema: '' }],
  ])

  it('quotes the table and its database, whatever they contain', async () => {
    const seen: string[] = []
    const store = mysqlStore({
      client: { query: async (sql: string) => (seen.push(sql), [[], []]) },
      table: 'web`sessions; DROP TABLE users',
      schema: 'app.db',
    })
    expect(store.table).toBe('`app.db`.`web``sessions; DROP TABLE users`')
    await store.get('id')
    expect(seen[0]).toContain('FROM `app.db`.`web``sessions; DROP TABLE users` WHERE id = ?')
  })
})
