import type { Clock, PatchResult, SessionRecord, SQLSessionStore, SQLUserSession, Store, TouchPolicy } from '@sess/core'
import { hashSessionId, resolveCommonStoreOptions, SessionConfigError } from '@sess/core'
import type { PostgresClientLike } from './client.js'
import { createDriver } from './internal/driver.js'
import { ensureSchema } from './internal/ensure-schema.js'
import { toJSONText } from './internal/json-text.js'
import type { DeviceFields } from './device.js'
import { toRecord } from './internal/row.js'
import { buildStatements } from './internal/statements.js'
import type { TableName } from './schema.js'
import { isValidTableName, qualifiedTable } from './schema.js'

/** How expired rows are removed: a bounded `DELETE` that rides inside some writes. */
export interface SweepOptions {
  /** Share of writes (`set`, `patch`) that also delete expired rows, from 0 (never: use pg_cron) to 1. @default 0.05 */
  probability?: number | undefined
  /** At most this many expired rows per sweep, so no write is ever slow. @default 100 */
  limit?: number | undefined
}

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions extends TableName {
  /**
   * The app's client, already set up: a `pg` `Pool` (or `Client`), or a postgres.js `sql`. The store never connects
   * or ends it.
   */
  client: PostgresClientLike
  /**
   * Keep each session under the SHA-256 of its id, so a leaked table holds no usable cookie id. `listByUser` then
   * lists ids as `'#' + sha256hex`, which `destroy` and `destroyByUser`'s `except` accept. @default false
   */
  hashIds?: boolean | undefined
  /**
   * Record the `userAgent` and `ip` a record carries in their own columns, and return them ("your devices"). Off by
   * default because both are personal data. @default false
   */
  deviceMetadata?: boolean | undefined
  /** Removal of expired rows; `false` leaves it to you (see the README's pg_cron job). @default { probability: 0.05, limit: 100 } */
  sweep?: SweepOptions | false | undefined
  /** Source of the current time; it decides which rows count as expired. @default Date.now */
  clock?: Clock | undefined
}

/** A session listed by {@link PostgresStore.listByUser}: the record and when the session was last seen. */
export type PostgresUserSession = SQLUserSession

/** A {@link Store} with every capability, plus `ensureSchema()`. */
export type PostgresStore = SQLSessionStore

const HASHED_ID_MARK = '#'

/**
 * A session store on PostgreSQL: one row per session with real columns (user, expiry, created, last seen, opt-in
 * user agent and IP) and the data as `jsonb`, patched key by key on the server. A read is one statement, with the
 * throttled expiry refresh inside it; a write and a destroy are one statement each.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * import { session } from '@sess/express'
 * import { postgresStore } from '@sess/store-postgres'
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * pool.on('error', (error) => console.error('postgres:', error)) // an idle connection dropped: the pool reconnects
 * const store = postgresStore({ client: pool })
 * await store.ensureSchema() // at boot, or run migrations/001_create_sess_sessions.sql yourself
 * app.use(session({ secret: process.env.SESSION_SECRET, store }))
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  if (typeof options !== 'object' || options === null) invalid('Pass an options object with a client.')
  const client = options.client as unknown as Record<string, unknown> | undefined
  if (typeof client?.unsafe !== 'function' && typeof client?.query !== 'function') {
    invalid('client must be a pg Pool or Client, or a postgres.js sql instance.')
  }
  const name: TableName = { table: options.table, schema: options.schema }
  if (!isValidTableName(name)) invalid('table and schema must be non-empty names of at most 48 bytes.')
  const common = resolveCommonStoreOptions(options, 'store-postgres')
  const { probability, limit, clock, hashIds, deviceMetadata: device } = common

  const run = createDriver(options.client)
  const { table } = qualifiedTable(name)
  const sql = buildStatements(table, limit)
  const stored = async (id: string): Promise<string> => (hashIds ? hashSessionId(id) : id)
  // Only the administrative calls take a listed '#' id: a cookie naming one can never load a session.
  const storedOrListed = async (id: string): Promise<string> =>
    hashIds && id.startsWith(HASHED_ID_MARK) ? id.slice(HASHED_ID_MARK.length) : stored(id)
  const listed = (sid: string): string => (hashIds ? HASHED_ID_MARK + sid : sid)
  const sweeping = (): boolean => probability > 0 && Math.random() < probability
  const text = (value: unknown): string | null => (device && typeof value === 'string' ? value : null)

  return {
    table,
    ensureSchema: () => ensureSchema(run, name),

    async get(id) {
      const [row] = await run(sql.get, [await stored(id), clock.now()])
      return row === undefined ? null : toRecord(row, device)
    },

    async getAndTouch(id, policy: TouchPolicy) {
      const params = [await stored(id), policy.now, policy.idleTimeout, policy.absoluteTimeout, policy.touchAfter]
      const [row] = await run(sql.getAndTouch, params)
      return row === undefined ? null : { session: toRecord(row, device), touched: row.touched === true }
    },

    async set(id, session: SessionRecord & DeviceFields) {
      const params = [
        await stored(id),
        toJSONText(session.data),
        session.createdAt,
        session.expiresAt,
        clock.now(),
        session.version ?? 1,
        typeof session.userId === 'string' ? session.userId : null,
        session.maxAge === undefined ? null : JSON.stringify(session.maxAge),
        text(session.userAgent),
        text(session.ip),
      ]
      await run(sweeping() ? sql.setAndSweep : sql.set, params)
    },

    async patch(id, patch): Promise<PatchResult> {
      const set: Record<string, unknown> = {}
      const unset = [...patch.unset]
      for (const [key, value] of Object.entries(patch.set)) {
        // A key set to undefined is gone, as JSON would have it.
        if (value === undefined) unset.push(key)
        else Object.defineProperty(set, key, { value, enumerable: true, writable: true, configurable: true })
      }
      const params = [
        await stored(id),
        toJSONText(set),
        toJSONText(unset),
        patch.expiresAt,
        clock.now(),
        patch.expectedVersion ?? null,
        patch.userId !== undefined,
        patch.userId ?? null,
        patch.maxAge !== undefined,
        patch.maxAge === undefined ? null : JSON.stringify(patch.maxAge),
      ]
      const [row] = await run(sweeping() ? sql.patchAndSweep : sql.patch, params)
      return row?.result === 'ok' || row?.result === 'conflict' ? row.result : 'missing'
    },

    async touch(id, expiresAt) {
      await run(sql.touch, [await stored(id), expiresAt, clock.now()])
    },

    async destroy(id) {
      await run(sql.destroy, [await storedOrListed(id)])
    },

    async listByUser(userId) {
      const rows = await run(sql.listByUser, [userId, clock.now()])
      const list: PostgresUserSession[] = []
      for (const row of rows) {
        const session = toRecord(row, device)
        // A corrupt row is left out: it cannot be shown, and `get` reports it when its cookie comes back.
        if (typeof session.data !== 'object') continue
        list.push({ id: listed(String(row.id)), session, lastSeenAt: Number(row.seen) })
      }
      return list
    },

    async destroyByUser(userId, options) {
      const keep = options?.except === undefined ? null : await storedOrListed(options.except)
      const [row] = await run(sql.destroyByUser, [userId, keep, clock.now()])
      return Number(row?.n ?? 0)
    },

    async clear() {
      await run(sql.clear, [])
    },

    async count() {
      const [row] = await run(sql.count, [clock.now()])
      return Number(row?.n ?? 0)
    },
  } satisfies PostgresStore
}

function invalid(message: string): never {
  throw new SessionConfigError('OPTION_INVALID', `[sess] [store-postgres] ${message}`)
}
