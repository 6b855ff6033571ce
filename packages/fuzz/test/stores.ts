import { randomUUID } from 'node:crypto'
import type { Store } from '@sess/core'
import { memoryStore } from '@sess/store-memory'
import { postgresStore } from '@sess/store-postgres'
import { redisStore } from '@sess/store-redis'
import { unstorageStore } from '@sess/store-unstorage'
import type { RedisServer } from '@sess/testing'
import { integrationGate, redisGate, startRedisServer } from '@sess/testing'
import pg from 'pg'
import { createClient } from 'redis'
import { createStorage } from 'unstorage'

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
  open(): Promise<{ store: Store; raw?: RawAccess | undefined; close(): Promise<void> }>
}

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

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

export const redisAvailable: ReturnType<typeof redisGate> = redisGate()
export const pgAvailable: ReturnType<typeof integrationGate> = integrationGate('PostgreSQL', await pgReason())

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

/** Every store this machine can run, with the reason for any it cannot (the gates throw under CI=true). */
export const TARGETS: ReadonlyArray<{ target: StoreTarget; skip: string | undefined }> = [
  { target: memory, skip: undefined },
  { target: redisTarget, skip: redisAvailable.reason },
  { target: unstorageTarget, skip: undefined },
  { target: postgresTarget, skip: pgAvailable.reason },
]
