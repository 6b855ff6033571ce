import type { PatchResult, SessionRecord, SQLSessionStore, SQLUserSession, Store } from '@sess/core'
import { hashSessionId, invalidRecord, listSessionRows, touchedExpiresAt } from '@sess/core'
import { patchStatement, SOUND_ROW, upsertStatement } from './internal/statements.js'
import type { DeviceFields, SessionRow } from './internal/row.js'
import { COLUMNS, decodeRow, toNumber } from './internal/row.js'
import { qualifiedTable } from './internal/table.js'
import type { MySQLStoreOptions } from './options.js'
import { resolveOptions } from './options.js'
import { ensureSchema } from './schema.js'

/** A session listed by {@link MySQLStore.listByUser}: the record and when the session was last seen. */
export type MySQLUserSession = SQLUserSession

/** A {@link Store} with every capability, plus `ensureSchema()` and {@link MySQLStore.sweep}. */
export interface MySQLStore extends SQLSessionStore {
  /** Deletes one batch (at most `sweep.limit`) of expired rows; resolves to how many. For a scheduled job. */
  sweep(): Promise<number>
}

interface Header {
  affectedRows?: number
}

const HASHED_ID_MARK = '#'

/**
 * A session store on MySQL 8 or MariaDB 10.5+ through mysql2: one row per session with real columns (user, expiry,
 * created, last seen, opt-in user agent and IP) next to the data as JSON, patched key by key on the server. A read is
 * one `SELECT` (MySQL has no `UPDATE … RETURNING`, so a due expiry refresh is a second statement); a write and a
 * destroy are one statement each.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise'
 * import { session } from '@sess/express'
 * import { mysqlStore } from '@sess/store-mysql'
 *
 * const pool = mysql.createPool(process.env.MYSQL_URL!)
 * const store = mysqlStore({ client: pool })
 * await store.ensureSchema() // at boot, or run migrations/001_create_sess_sessions.sql yourself
 * app.use(session({ secret: process.env.SESSION_SECRET, store }))
 * ```
 */
export function mysqlStore(options: MySQLStoreOptions): MySQLStore {
  const { client, name, hashIds, deviceMetadata: device, probability, limit, clock } = resolveOptions(options)

  const table = qualifiedTable(name)
  const query = async <R>(sql: string, values: unknown[]): Promise<R> =>
    ((await client.query(sql, values)) as [R, unknown])[0]
  const affected = (header: Header): number => Number(header.affectedRows ?? 0)
  const stored = async (id: string): Promise<string> => (hashIds ? hashSessionId(id) : id)
  // Only the administrative calls take a listed '#' id: a cookie naming one can never load a session.
  const storedOrListed = async (id: string): Promise<string> =>
    hashIds && id.startsWith(HASHED_ID_MARK) ? id.slice(HASHED_ID_MARK.length) : stored(id)
  const listed = (sid: string): string => (hashIds ? HASHED_ID_MARK + sid : sid)

  const sweep = async (): Promise<number> =>
    affected(await query<Header>(`DELETE FROM ${table} WHERE expires_at <= ? LIMIT ?`, [clock.now(), limit]))
  // The write has landed: a failed sweep is left to a later write instead of failing this one.
  const maybeSweep = async (): Promise<void> => {
    if (probability > 0 && Math.random() < probability) await sweep().catch(() => undefined)
  }

  /** The row's record; a corrupt row is reported (never passed on half-read), an expired one is no session. */
  const read = async (id: string, now: number): Promise<{ record: SessionRecord; sound: boolean } | null> => {
    const [row] = await query<SessionRow[]>(`SELECT ${COLUMNS} FROM ${table} WHERE id = ?`, [await stored(id)])
    // Past its expiry a row is no session, sound or not: a corrupt one stops being reported once it has expired.
    if (row === undefined || !((toNumber(row.expires_at) ?? Number.POSITIVE_INFINITY) > now)) return null
    const record = decodeRow(row, device)
    return typeof record === 'string' ? { record: invalidRecord(record), sound: false } : { record, sound: true }
  }

  return {
    table,
    ensureSchema: () => ensureSchema(client, name),
    sweep,

    async get(id) {
      return (await read(id, clock.now()))?.record ?? null
    },

    async getAndTouch(id, policy) {
      const found = await read(id, policy.now)
      if (found === null || !found.sound) return found && { session: found.record, touched: false }
      const next = touchedExpiresAt(found.record, policy)
      if (next === undefined) return { session: found.record, touched: false }
      // No UPDATE … RETURNING in MySQL: the refresh is a second statement, sent only when due, and it never shortens
      // an expiry a concurrent write has just moved, nor brings back a row destroyed meanwhile.
      const sql = `UPDATE ${table} SET expires_at = ?, last_seen_at = ? WHERE id = ? AND expires_at > ? AND expires_at < ?`
      const header = await query<Header>(sql, [next, policy.now, await stored(id), policy.now, next])
      if (affected(header) === 0) return { session: found.record, touched: false }
      return { session: { ...found.record, expiresAt: next }, touched: true }
    },

    async set(id, session: SessionRecord & DeviceFields) {
      const { sql, params } = upsertStatement(table, await stored(id), session, { now: clock.now(), device })
      await query(sql, params)
      await maybeSweep()
    },

    async patch(id, patch): Promise<PatchResult> {
      const now = clock.now()
      const sid = await stored(id)
      const { sql, params } = patchStatement(table, sid, patch, now)
      if (affected(await query<Header>(sql, params)) > 0) {
        await maybeSweep()
        return 'ok'
      }
      if (patch.expectedVersion === undefined) return 'missing'
      // Rare path: a strict write that matched nothing tells a stale version from a session that is gone.
      const live = `SELECT 1 FROM ${table} WHERE id = ? AND expires_at > ? AND ${SOUND_ROW}`
      const rows = await query<unknown[]>(live, [sid, now])
      return rows.length > 0 ? 'conflict' : 'missing'
    },

    async touch(id, expiresAt) {
      const now = clock.now()
      const sql = `UPDATE ${table} SET expires_at = ?, last_seen_at = ? WHERE id = ? AND expires_at > ? AND ${SOUND_ROW}`
      await query(sql, [expiresAt, now, await stored(id), now])
    },

    async destroy(id) {
      await query(`DELETE FROM ${table} WHERE id = ?`, [await storedOrListed(id)])
    },

    async listByUser(userId): Promise<MySQLUserSession[]> {
      const sql = `SELECT id, ${COLUMNS} FROM ${table} WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id`
      const rows = await query<(SessionRow & { id: string })[]>(sql, [userId, clock.now()])
      // A corrupt row is no device to show; reading it by its id reports it.
      return listSessionRows(rows, { device, toNumber, listedId: listed })
    },

    async destroyByUser(userId, options) {
      const keep = options?.except === undefined ? undefined : await storedOrListed(options.except)
      const sql = `DELETE FROM ${table} WHERE user_id = ? AND expires_at > ?${keep === undefined ? '' : ' AND id <> ?'}`
      const values = [userId, clock.now()]
      return affected(await query<Header>(sql, keep === undefined ? values : [...values, keep]))
    },

    async clear() {
      await query(`DELETE FROM ${table}`, [])
    },

    async count() {
      // Rows a read would report as corrupt are no sessions to count.
      const sql = `SELECT COUNT(*) AS n FROM ${table} WHERE expires_at > ? AND ${SOUND_ROW}`
      const [row] = await query<{ n: unknown }[]>(sql, [clock.now()])
      return toNumber(row?.n) ?? 0
    },
  }
}
