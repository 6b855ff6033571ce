import type { PatchResult, SessionRecord, SQLSessionStore, SQLUserSession, Store } from '@sess/core'
import { hashSessionId, invalidRecord, listSessionRows, recordProblem, touchedExpiresAt } from '@sess/core'
import type { Row } from './internal/driver.js'
import { createDriver } from './internal/driver.js'
import type { DeviceFields, SessionRow } from './internal/row.js'
import { COLUMNS, decodeRow, toNumber } from './internal/row.js'
import { patchStatement, SOUND_ROW, touchWhenDue, upsertStatement } from './internal/statements.js'
import { quoteIdent } from './internal/table.js'
import type { SQLiteStoreOptions } from './options.js'
import { resolveOptions } from './options.js'
import { ensureSchema } from './schema.js'

/** A session listed by {@link SQLiteStore.listByUser}: the record and when the session was last seen. */
export type SQLiteUserSession = SQLUserSession

/** A {@link Store} with every capability, plus `ensureSchema()` and {@link SQLiteStore.sweep}. */
export interface SQLiteStore extends SQLSessionStore {
  /** Deletes one batch (at most `sweep.limit`) of expired rows; resolves to how many. For a scheduled job. */
  sweep(): Promise<number>
}

const HASHED_ID_MARK = '#'

/**
 * A session store on SQLite: better-sqlite3 or bun:sqlite in the process, or Cloudflare D1 on the edge. One row per
 * session with real columns (user, expiry, created, last seen, opt-in user agent and IP) next to the data as JSON
 * text, patched key by key in SQL. A write and a destroy are one statement each; a read is one statement in process
 * (plus a guarded `UPDATE` when the throttled expiry refresh is due) and one round trip on D1 (a batch of an
 * `UPDATE … RETURNING` that writes only when the refresh is due, and the read).
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'
 * import { session } from '@sess/express'
 * import { sqliteStore } from '@sess/store-sqlite'
 *
 * const db = new Database('sessions.db')
 * db.pragma('journal_mode = WAL')
 * const store = sqliteStore({ client: db })
 * await store.ensureSchema()
 * app.use(session({ secret: process.env.SESSION_SECRET, store }))
 * ```
 */
export function sqliteStore(options: SQLiteStoreOptions): SQLiteStore {
  const { table: name, hashIds, deviceMetadata: device, probability, limit, clock, client } = resolveOptions(options)
  const driver = createDriver(client)

  const table = quoteIdent(name)
  const stored = async (id: string): Promise<string> => (hashIds ? hashSessionId(id) : id)
  // Only the administrative calls take a listed '#' id: a cookie naming one can never load a session.
  const storedOrListed = async (id: string): Promise<string> =>
    hashIds && id.startsWith(HASHED_ID_MARK) ? id.slice(HASHED_ID_MARK.length) : stored(id)
  const listed = (sid: string): string => (hashIds ? HASHED_ID_MARK + sid : sid)
  const select = (sid: string) => [`SELECT ${COLUMNS} FROM ${table} WHERE id = ?`, [sid]] as const

  const sweep = async (): Promise<number> => {
    const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? LIMIT ?)`
    return driver.run([sql, [clock.now(), limit]])
  }
  // The write has landed: a failed sweep is left to a later write instead of failing this one.
  const maybeSweep = async (): Promise<void> => {
    if (probability > 0 && Math.random() < probability) await sweep().catch(() => undefined)
  }

  /** The row's record; a corrupt row is reported (never passed on half-read), an expired one is no session. */
  const decode = (row: Row | undefined, now: number): SessionRecord | null => {
    // Past its expiry a row is no session, sound or not: a corrupt one stops being reported once it has expired.
    if (row === undefined || !((toNumber(row.expires_at) ?? Number.POSITIVE_INFINITY) > now)) return null
    const record = decodeRow(row as unknown as SessionRow, device)
    return typeof record === 'string' ? invalidRecord(record) : record
  }

  return {
    table,
    ensureSchema: () => ensureSchema(driver, name),
    sweep,

    async get(id) {
      const [row] = await driver.all(select(await stored(id)))
      return decode(row, clock.now())
    },

    async getAndTouch(id, policy) {
      const sid = await stored(id)
      if (driver.batch) {
        // D1: the refresh (an UPDATE … RETURNING that matches only when due) and the read in one round trip; the
        // read sees the refresh, if there was one.
        const [updated, selected] = await driver.batch([touchWhenDue(table, sid, policy), select(sid)])
        const session = decode(selected?.[0], policy.now)
        if (session === null) return null
        return { session, touched: updated?.[0] !== undefined && recordProblem(session) === undefined }
      }
      // In process a statement is a function call, not a round trip: the read, then the refresh only when due,
      // guarded so that it never shortens an expiry a concurrent write moved, nor brings back a destroyed row.
      const session = decode((await driver.all(select(sid)))[0], policy.now)
      if (session === null || recordProblem(session) !== undefined) return session && { session, touched: false }
      const next = touchedExpiresAt(session, policy)
      if (next === undefined) return { session, touched: false }
      const sql = `UPDATE ${table} SET expires_at = ?, last_seen_at = ? WHERE id = ? AND expires_at > ? AND expires_at < ?`
      if ((await driver.run([sql, [next, policy.now, sid, policy.now, next]])) === 0) return { session, touched: false }
      return { session: { ...session, expiresAt: next }, touched: true }
    },

    async set(id, session: SessionRecord & DeviceFields) {
      await driver.run(upsertStatement(table, await stored(id), session, { now: clock.now(), device }))
      await maybeSweep()
    },

    async patch(id, patch): Promise<PatchResult> {
      const now = clock.now()
      const sid = await stored(id)
      if ((await driver.run(patchStatement(table, sid, patch, now))) > 0) {
        await maybeSweep()
        return 'ok'
      }
      if (patch.expectedVersion === undefined) return 'missing'
      // Rare path: a strict write that matched nothing tells a stale version from a session that is gone.
      const live = `SELECT 1 AS live FROM ${table} WHERE id = ? AND expires_at > ? AND ${SOUND_ROW}`
      const rows = await driver.all([live, [sid, now]])
      return rows.length > 0 ? 'conflict' : 'missing'
    },

    async touch(id, expiresAt) {
      const now = clock.now()
      const sql = `UPDATE ${table} SET expires_at = ?, last_seen_at = ? WHERE id = ? AND expires_at > ? AND ${SOUND_ROW}`
      await driver.run([sql, [expiresAt, now, await stored(id), now]])
    },

    async destroy(id) {
      await driver.run([`DELETE FROM ${table} WHERE id = ?`, [await storedOrListed(id)]])
    },

    async listByUser(userId): Promise<SQLiteUserSession[]> {
      const sql = `SELECT id, ${COLUMNS} FROM ${table} WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id`
      const rows = (await driver.all([sql, [userId, clock.now()]])) as unknown as (SessionRow & { id: unknown })[]
      // A corrupt row is no device to show; reading it by its id reports it.
      return listSessionRows(rows, { device, toNumber, listedId: listed })
    },

    async destroyByUser(userId, options) {
      const keep = options?.except === undefined ? undefined : await storedOrListed(options.except)
      const sql = `DELETE FROM ${table} WHERE user_id = ? AND expires_at > ?${keep === undefined ? '' : ' AND id <> ?'}`
      const params = [userId, clock.now()]
      return driver.run([sql, keep === undefined ? params : [...params, keep]])
    },

    async clear() {
      await driver.run([`DELETE FROM ${table}`, []])
    },

    async count() {
      // Rows a read would report as corrupt are no sessions to count.
      const sql = `SELECT COUNT(*) AS n FROM ${table} WHERE expires_at > ? AND ${SOUND_ROW}`
      const [row] = await driver.all([sql, [clock.now()]])
      return toNumber(row?.n) ?? 0
    },
  }
}
