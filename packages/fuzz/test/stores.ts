import { randomUUID } from 'node:crypto'
import type { Store } from '@sess/core'
import { memoryStore } from '@sess/store-memory'
import { mysqlStore } from '@sess/store-mysql'
import { postgresStore } from '@sess/store-postgres'
import { redisStore } from '@sess/store-redis'
import { sqliteStore } from '@sess/store-sqlite'
import { unstorageStore } from '@sess/store-unstorage'
import type { RedisServer } from '@sess/testing'
import { integrationGate, redisGate, startRedisServer } from '@sess/testing'
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import pg from 'pg'
import { createClient } from 'redis'
import { createStorage } from 'unstorage'
import { afterAll, beforeAll } from 'vitest'

/** Raw access to where a store keeps a session, to corrupt it and read its remaining lifetime. */
export interface RawAccess {
  /** Overwrites the stored form of session `id` with something that is not a valid record. */
  corrupt(id: string, garbage: string): Promise<void>
  /** Milliseconds the store itself will keep session `id` (its TTL or expiry column); undefined when gone. */
  remainingMs(id: string): Promise<number | undefined>
  /** Shortens that lifetime to `ms`, as for a session close to its end. */
  shorten(id: string, ms: number): Promise<void>
}

/** A store the suite can run here, opened once per test file. */
export interface StoreTarget {
  readonly name: string
  /** A fresh, empty store (its own key prefix or table). */
  open(): Promise<Opened>
}

/** An opened store target. */
export interface Opened {
  store: Store
  raw?: RawAccess | undefined
  close(): Promise<void>
}

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const MYSQL_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

async function pgReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    return undefined
  } catch (error) {
    return `PostgreSQL did not answer (${(error as Error).message}); set PG_URL`
  } finally {
    await client.end().catch(() => {})
  }
}

async function mysqlReason(): Promise<string | undefined> {
  try {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 })
    await connection.end()
    return undefined
  } catch (error) {
    return `MySQL/MariaDB did not answer (${(error as Error).message}); set MYSQL_URL`
  }
}

export const redisAvailable: ReturnType<typeof redisGate> = redisGate()
export const pgAvailable: ReturnType<typeof integrationGate> = integrationGate('PostgreSQL', await pgReason())
export const mysqlAvailable: ReturnType<typeof integrationGate> = integrationGate('MySQL', await mysqlReason())

let redis: { server: RedisServer; users: number } | undefined

const memory: StoreTarget = {
  name: 'memory',
  open: async () => {
    const store = memoryStore()
    return { store, close: async () => store.stop() }
  },
}

const redisTarget: StoreTarget = {
  name: 'redis',
  open: async () => {
    redis ??= { server: await startRedisServer(), users: 0 }
    redis.users++
    const client = createClient({ url: redis.server.url })
    await client.connect()
    const prefix = `fuzz:${randomUUID()}:`
    return {
      store: redisStore({ client, prefix }),
      raw: {
        // A meta field that no longer reads as a number: the hash stays a hash, as a partial write would leave it.
        corrupt: async (id, garbage) =>
          void (await client.hSet(prefix + id, ['createdAt', 'expiresAt', 'version'][garbage.length % 3]!, garbage)),
        remainingMs: async (id) => {
          const ttl = await client.pTTL(prefix + id)
          return ttl < 0 ? undefined : ttl
        },
        // The record's own expiry too, so a read finds its refresh due (the path of issue 17.8).
        shorten: async (id, ms) => {
          await client.hSet(prefix + id, 'expiresAt', String(Date.now() + ms))
          await client.pExpire(prefix + id, ms)
        },
      },
      close: async () => {
        await client.quit()
        if (redis && --redis.users === 0) {
          await redis.server.stop()
          redis = undefined
        }
      },
    }
  },
}

const unstorageTarget: StoreTarget = {
  name: 'unstorage',
  open: async () => {
    const storage = createStorage()
    return {
      store: unstorageStore({ storage }),
      raw: {
        corrupt: async (id, garbage) => void (await storage.setItemRaw(`sess:${id}`, garbage)),
        remainingMs: async (id) => {
          const envelope = (await storage.getItem(`sess:${id}`)) as { x?: number } | null
          return typeof envelope?.x === 'number' ? envelope.x - Date.now() : undefined
        },
        shorten: async (id, ms) => {
          const envelope = (await storage.getItem(`sess:${id}`)) as { x: number; r: { expiresAt: number } }
          envelope.x = Date.now() + ms
          envelope.r.expiresAt = envelope.x
          await storage.setItem(`sess:${id}`, envelope)
        },
      },
      close: () => storage.dispose(),
    }
  },
}

const postgresTarget: StoreTarget = {
  name: 'postgres',
  open: async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 4 })
    pool.on('error', () => {})
    const schema = `sess_fuzz_${randomUUID().replaceAll('-', '')}`
    await pool.query(`CREATE SCHEMA "${schema}"`)
    const store = postgresStore({ client: pool, schema })
    await store.ensureSchema()
    return {
      store,
      raw: {
        corrupt: async (id, garbage) =>
          void (await pool.query(`UPDATE ${store.table} SET data = $2::jsonb WHERE id = $1`, [
            id,
            JSON.stringify(garbage),
          ])),
        remainingMs: async (id) => {
          const { rows } = await pool.query(
            `SELECT (extract(epoch from expires_at) * 1000)::float8 AS at FROM ${store.table} WHERE id = $1`,
            [id],
          )
          return rows[0] ? Number(rows[0].at) - Date.now() : undefined
        },
        shorten: async (id, ms) =>
          void (await pool.query(
            `UPDATE ${store.table} SET expires_at = now() + ($2::float8 * interval '1 millisecond') WHERE id = $1`,
            [id, ms],
          )),
      },
      close: async () => {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await pool.end()
      },
    }
  },
}

/** Raw access to a SQL table with `data` and epoch-ms `expires_at` columns (MySQL, SQLite). */
function sqlAccess(run: (sql: string, params: unknown[]) => Promise<unknown[]>, table: string): RawAccess {
  return {
    // Valid JSON that is not an object, so even a JSON-typed column takes it.
    corrupt: async (id, garbage) =>
      void (await run(`UPDATE ${table} SET data = ? WHERE id = ?`, [JSON.stringify(garbage), id])),
    remainingMs: async (id) => {
      const [row] = (await run(`SELECT expires_at AS at FROM ${table} WHERE id = ?`, [id])) as { at: number }[]
      return row ? Number(row.at) - Date.now() : undefined
    },
    shorten: async (id, ms) =>
      void (await run(`UPDATE ${table} SET expires_at = ? WHERE id = ?`, [Date.now() + ms, id])),
  }
}

const mysqlTarget: StoreTarget = {
  name: 'mysql',
  open: async () => {
    const pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 4 })
    const store = mysqlStore({ client: pool, table: `sess_fuzz_${randomUUID().replaceAll('-', '').slice(0, 16)}` })
    await store.ensureSchema()
    const run = async (sql: string, params: unknown[]): Promise<unknown[]> =>
      (await pool.query(sql, params as never[]))[0] as unknown[]
    return {
      store,
      raw: sqlAccess(run, store.table),
      close: async () => {
        await pool.query(`DROP TABLE IF EXISTS ${store.table}`)
        await pool.end()
      },
    }
  },
}

const sqliteTarget: StoreTarget = {
  name: 'sqlite',
  open: async () => {
    const db = new Database(':memory:')
    const store = sqliteStore({ client: db })
    await store.ensureSchema()
    const run = async (sql: string, params: unknown[]): Promise<unknown[]> => {
      const statement = db.prepare(sql)
      return statement.reader ? statement.all(...params) : (statement.run(...params), [])
    }
    return { store, raw: sqlAccess(run, store.table), close: async () => void db.close() }
  },
}

/** Every store this machine can run, with the reason for any it cannot (the gates throw under CI=true). */
export const TARGETS: ReadonlyArray<{ target: StoreTarget; skip: string | undefined }> = [
  { target: memory, skip: undefined },
  { target: redisTarget, skip: redisAvailable.reason },
  { target: unstorageTarget, skip: undefined },
  { target: postgresTarget, skip: pgAvailable.reason },
  { target: mysqlTarget, skip: mysqlAvailable.reason },
  { target: sqliteTarget, skip: undefined },
]

/** Opens `target` before the enclosing suite's tests and closes it after them; call the result inside a test. */
export function useTarget(target: StoreTarget): () => Opened {
  let opened: Opened | undefined
  beforeAll(async () => {
    opened = await target.open()
  })
  afterAll(() => opened?.close())
  return () => opened as Opened
}
