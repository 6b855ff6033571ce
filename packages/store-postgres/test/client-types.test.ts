import pg from 'pg'
import postgres from 'postgres'
import { expect, it } from 'vitest'
import type { PostgresClientLike } from '../src/index.js'
import { postgresStore } from '../src/index.js'

it('accepts pg Pool, Client and PoolClient, and postgres.js, without casts (checked by tsc)', () => {
  const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' })
  const client = new pg.Client({ connectionString: 'postgres://nobody@127.0.0.1:1/none' })
  const sql = postgres('postgres://nobody@127.0.0.1:1/none')
  const clients: PostgresClientLike[] = [pool, client, sql]
  const poolClient = async (): Promise<PostgresClientLike> => pool.connect()
  expect(typeof poolClient).toBe('function')
  // Creating a store never connects: nothing listens on port 1.
  for (const c of clients) expect(typeof postgresStore({ client: c }).get).toBe('function')
})

it('rejects a value that is no client, with a coded error', () => {
  expect(() => postgresStore({ client: {} as never })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }))
  expect(() => postgresStore({ client: { query() {} } as never, table: '' })).toThrow(
    /\[sess\] \[store-postgres\] table/,
  )
  expect(() => postgresStore({ client: { query() {} } as never, sweep: { probability: 2 } })).toThrow(/probability/)
})
