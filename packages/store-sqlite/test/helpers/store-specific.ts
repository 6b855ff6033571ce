import type { Session, SessionHandle, SessionRecord, Store } from '@sess/core'
import { createSessionManager, recordProblem, touchedExpiresAt } from '@sess/core'
import type { StoreSuiteContext } from '@sess/testing'
import { expect, it } from 'vitest'
import type { SQLiteClientLike, SQLiteStoreOptions } from '../../src/index.js'
import { sqliteStore } from '../../src/index.js'
import type { Row } from '../../src/internal/driver.js'
import { createDriver } from '../../src/internal/driver.js'
import { countStatements } from './counting.js'

/** Round trips per store call, by kind of database. */
const ROUND_TRIPS = {
  // In process: the read, plus the guarded UPDATE when the refresh is due.
  'in-process': { set: 1, get: 1, readNotDue: 1, readDue: 2, patch: 1, touch: 1, destroy: 1, strictMiss: 2 },
  // D1: the read and its refresh in one batch, whether the refresh is due or not.
  d1: { set: 1, get: 1, readNotDue: 1, readDue: 1, patch: 1, touch: 1, destroy: 1, strictMiss: 2 },
}

/** What only a SQL store can be asked: its columns, round trips, the touch rule, corrupt rows, hashed ids, sweeps. */
export function sqliteSpecificTests(
  ctx: StoreSuiteContext,
  client: () => SQLiteClientLike,
  tableOf: (store: Store) => string,
  kind: keyof typeof ROUND_TRIPS,
): void {
  const sql = async (text: string, params: unknown[] = []): Promise<Row[]> => createDriver(client()).all([text, params])
  const exec = async (text: string, params: unknown[] = []): Promise<number> =>
    createDriver(client()).run([text, params])
  /** A second store on the table of a suite store, with `options` and a counting client. */
  const sibling = async (options: Partial<SQLiteStoreOptions> = {}) => {
    const table = tableOf(await ctx.open())
    const counting = countStatements(client())
    const store = sqliteStore({ client: counting.client, table, clock: ctx.clock, sweep: false, ...options })
    return { store, table, counting }
  }

  it('keeps the record in real columns: user_id, times, version, and the data as JSON text', async () => {
    const { store, table } = await sibling()
    const id = ctx.id()
    const record = ctx.record({ cart: [1, 2] }, { userId: 'user-7', version: 3, maxAge: null })
    await ctx.put(store, id, record)
    const [row] = await sql(`SELECT * FROM "${table}" WHERE id = ?`, [id])
    expect(row).toMatchObject({ user_id: 'user-7', version: 3, max_age: -1, user_agent: null, ip: null })
    expect(row).toMatchObject({ created_at: record.createdAt, expires_at: record.expiresAt })
    expect(row?.last_seen_at).toBe(ctx.clock.now())
    expect(JSON.parse(String(row?.data))).toEqual({ cart: [1, 2] })
  })

  it(`round trips (${kind}): 1 per write, read and destroy; a due refresh as the table says`, async () => {
    const { store, counting } = await sibling()
    const expected = ROUND_TRIPS[kind]
    const id = ctx.id()
    const trips = async (fn: () => Promise<unknown>): Promise<number> => {
      const before = counting.roundTrips
      await fn()
      return counting.roundTrips - before
    }
    const patch = { set: { b: 2 }, unset: ['a'], expiresAt: ctx.clock.now() + 3600_000 }
    expect({
      set: await trips(() => ctx.put(store, id, ctx.record({ a: 1 }, { expiresAt: ctx.clock.now() + 600_000 }))),
      get: await trips(() => store.get(id)),
      readNotDue: await trips(() => store.getAndTouch(id, ctx.policy({ touchAfter: 3600 }))),
      readDue: await trips(async () =>
        expect((await store.getAndTouch(id, ctx.policy({ touchAfter: 60 })))?.touched).toBe(true),
      ),
      patch: await trips(() => store.patch(id, patch, 3600)),
      touch: await trips(() => store.touch(id, ctx.clock.now() + 3600_000, 3600)),
      destroy: await trips(() => store.destroy(id)),
      strictMiss: await trips(() => store.patch(id, { ...patch, expectedVersion: 9 }, 3600)),
    }).toEqual(expected)
  })

  it(`through @sess/core (${kind}): 0 round trips without a cookie, 1 per read, 1 per write and destroy`, async () => {
    const { store, counting } = await sibling()
    const manager = createSessionManager({
      secret: 'a-test-secret-that-is-long-enough-0123456789',
      store,
      idleTimeout: 3600,
      clock: ctx.clock,
    })
    const rows: Record<string, string> = {}
    const measure = async (request: string, cookie: string | undefined, handler?: (s: Session) => unknown) => {
      const before = counting.roundTrips
      const handle: SessionHandle = await manager.load({ cookie })
      const loaded = counting.roundTrips - before
      await handler?.(handle.session)
      const { setCookie } = await handle.commit()
      rows[request] = `${loaded}+${counting.roundTrips - before - loaded}`
      return setCookie[0]?.split(';')[0] ?? cookie
    }
    await measure('no cookie, session unused', undefined)
    const cookie = await measure('new session', undefined, (s) => s.set('views' as never, 1 as never))
    await measure('read-only, refresh not due', cookie, (s) => s.get('views' as never))
    await ctx.clock.advance(600_000)
    await measure('read-only, refresh due', cookie, (s) => s.get('views' as never))
    await measure('write to an existing session', cookie, (s) => s.set('views' as never, 2 as never))
    await measure('regenerate (login)', cookie, (s) => s.regenerate({ keepData: true }))
    const other = await measure('new session', undefined, (s) => s.set('views' as never, 1 as never))
    await measure('destroy', other, (s) => s.destroy())
    expect(rows).toEqual({
      'no cookie, session unused': '0+0',
      'new session': '0+1',
      'read-only, refresh not due': '1+0',
      // In process the due refresh is a second statement (a function call); on D1 it rides in the read's batch.
      'read-only, refresh due': kind === 'd1' ? '1+0' : '2+0',
      'write to an existing session': '1+1',
      'regenerate (login)': '1+2',
      destroy: '1+1',
    })
  })

  it('refreshes on read by exactly core’s rule (touchedExpiresAt) over a grid of records and policies', async () => {
    const store = sqliteStore({ client: client(), table: tableOf(await ctx.open()), clock: ctx.clock, sweep: false })
    const now = ctx.clock.now()
    let cases = 0
    for (const createdAgo of [0, 400_000, 5_000_000]) {
      for (const expiresIn of [-1, 500, 59_000, 3_000_000]) {
        for (const maxAge of [undefined, null, 7200, 2.5]) {
          for (const [idleTimeout, absoluteTimeout, touchAfter] of [
            [3600, null, 0],
            [3600, null, 60],
            [1.5, null, 0.5],
            [600, 1000, 0],
            [600, 5000.25, 1],
          ] as const) {
            const id = ctx.id()
            const record: SessionRecord = {
              data: { n: cases },
              createdAt: now - createdAgo,
              expiresAt: now + expiresIn,
              version: 1,
            }
            if (maxAge !== undefined) record.maxAge = maxAge
            await ctx.put(store, id, record, 60)
            const p = ctx.policy({ idleTimeout, absoluteTimeout, touchAfter })
            const next = touchedExpiresAt(record, p)
            const got = await store.getAndTouch(id, p)
            const label = JSON.stringify({ createdAgo, expiresIn, maxAge, idleTimeout, absoluteTimeout, touchAfter })
            if (expiresIn <= 0) expect(got, label).toBeNull()
            else
              expect(got, label).toEqual({
                session: { ...record, expiresAt: next ?? record.expiresAt },
                touched: next !== undefined,
              })
            cases++
          }
        }
      }
    }
    expect(cases).toBe(240)
  })

  it('patches keys of any spelling: quotes, backslashes, dots, empty, unicode', async () => {
    const { store } = await sibling()
    const id = ctx.id()
    const keys = ['we"ird', 'back\\slash', 'a.b', '', '$', '[0]', 'ключ 🔑', "it's", 'tab\tkey']
    await ctx.put(store, id, ctx.record(Object.fromEntries(keys.map((k) => [k, 'old']))))
    const set = Object.fromEntries(keys.map((k, i) => [k, { i, k }]))
    expect(await store.patch(id, { set, unset: [], expiresAt: ctx.clock.now() + 60_000 }, 60)).toBe('ok')
    expect((await store.get(id))?.data).toEqual(set)
    expect(await store.patch(id, { set: {}, unset: keys.slice(0, 5), expiresAt: ctx.clock.now() + 60_000 }, 60)).toBe(
      'ok',
    )
    expect(Object.keys((await store.get(id))?.data ?? {}).sort()).toEqual(keys.slice(5).sort())
  })

  it('reports corrupt rows as invalid records, never as sessions, and leaves them out of listings', async () => {
    const table = tableOf(await ctx.open())
    // A hand-made table with the store's columns and no constraints: what a hand-edit or another tool may leave.
    const loose = `${table}_loose`
    await exec(
      `CREATE TABLE "${loose}" (id TEXT PRIMARY KEY, data, created_at, expires_at, last_seen_at, version, user_id, max_age, user_agent, ip)`,
    )
    const store = sqliteStore({ client: client(), table: loose, clock: ctx.clock })
    await store.ensureSchema()
    const now = ctx.clock.now()
    const user = `user-${ctx.id()}`
    const cases: [string, unknown, unknown, unknown, unknown, RegExp][] = [
      ['array', '[1, 2]', now, 1, null, /^data is not an object$/],
      ['string', '"text"', now, 1, null, /^data is not an object$/],
      ['json null', 'null', now, 1, null, /^data is not an object$/],
      ['not json', '{oops', now, 1, null, /^data is not JSON$/],
      ['null data', null, now, 1, null, /^data is null$/],
      ['null version', '{"a": 1}', now, null, null, /^version is null$/],
      ['text created_at', '{"a": 1}', 'yesterday', 1, null, /^created_at is null$/],
      ['text max_age', '{"a": 1}', now, 1, 'forever', /^max_age is not a number$/],
    ]
    for (const [id, data, createdAt, version, maxAge] of cases) {
      await exec(
        `INSERT INTO "${loose}" (id, data, created_at, expires_at, last_seen_at, version, user_id, max_age) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, data, createdAt, now + 60_000, now, version, user, maxAge],
      )
    }
    for (const [id, , , , , reason] of cases) {
      const got = await store.get(id)
      expect(got && recordProblem(got), id).toMatch(reason)
      const read = await store.getAndTouch(id, ctx.policy())
      expect(read?.touched, id).toBe(false)
      expect(read && recordProblem(read.session), id).toMatch(reason)
    }
    expect(await store.listByUser(user)).toEqual([])
    await exec(`DROP TABLE "${loose}"`)
  })

  it('hashIds: stores SHA-256 hex, lists "#" + hex, and revokes by the listed id', async () => {
    const { store, table } = await sibling({ hashIds: true })
    const [a, b, c] = [ctx.id(), ctx.id(), ctx.id()]
    const user = `user-${ctx.id()}`
    for (const id of [a, b, c]) await ctx.put(store, id, ctx.record({ id }, { userId: user }))
    const stored = await sql(`SELECT id FROM "${table}" WHERE user_id = ?`, [user])
    expect(stored).toHaveLength(3)
    for (const r of stored) expect(r.id).toMatch(/^[0-9a-f]{64}$/)
    const listed = await store.listByUser(user)
    expect(listed.map((s) => s.id).sort()).toEqual(stored.map((r) => `#${r.id}`).sort())
    const listedA = listed.find((s) => s.session.data.id === a)!.id
    const listedB = listed.find((s) => s.session.data.id === b)!.id
    expect(await store.get(listedA)).toBeNull()
    await store.destroy(listedA)
    expect(await store.get(a)).toBeNull()
    expect(await store.destroyByUser(user, { except: listedB })).toBe(1)
    expect(await store.get(b)).not.toBeNull()
    expect(await store.get(c)).toBeNull()
  })

  it('deviceMetadata: keeps a record’s userAgent and ip in their columns and returns them; off, neither', async () => {
    const { store, table } = await sibling({ deviceMetadata: true })
    const plain = sqliteStore({ client: client(), table, clock: ctx.clock, sweep: false })
    const [id, other] = [ctx.id(), ctx.id()]
    const user = `user-${ctx.id()}`
    const columns = async (sid: string) => (await sql(`SELECT user_agent, ip FROM "${table}" WHERE id = ?`, [sid]))[0]
    const device = { userAgent: 'Firefox/140', ip: '2001:db8::1' }
    await ctx.put(store, id, { ...ctx.record({ a: 1 }, { userId: user }), ...device })
    expect(await columns(id)).toEqual({ user_agent: device.userAgent, ip: device.ip })
    expect(await store.get(id)).toMatchObject({ data: { a: 1 }, ...device })
    await store.patch(id, { set: { b: 2 }, unset: [], expiresAt: ctx.clock.now() + 60_000 }, 60)
    expect(await columns(id)).toEqual({ user_agent: device.userAgent, ip: device.ip })
    await ctx.clock.advance(1000)
    await ctx.put(plain, other, { ...ctx.record({}, { userId: user }), ...device })
    expect(await columns(other)).toEqual({ user_agent: null, ip: null })
    expect(await plain.get(id)).not.toHaveProperty('userAgent')
    const listed = await store.listByUser(user)
    expect(listed.map((s) => [s.id, s.session.ip, s.lastSeenAt])).toEqual([
      [id, device.ip, ctx.clock.now() - 1000],
      [other, undefined, ctx.clock.now()],
    ])
  })

  it('sweeps expired rows in bounded batches: on writes when drawn, and through sweep()', async () => {
    const { store, table } = await sibling({ sweep: { probability: 1, limit: 2 } })
    const remaining = async () => Number((await sql(`SELECT COUNT(*) AS n FROM "${table}"`))[0]?.n)
    for (let i = 0; i < 5; i++) await ctx.put(store, ctx.id(), ctx.record({}, { expiresAt: ctx.clock.now() + 1000 }), 1)
    await ctx.clock.advance(2000)
    expect(await remaining()).toBe(5)
    const live = ctx.id()
    await ctx.put(store, live, ctx.record())
    expect(await remaining()).toBe(4)
    expect(await store.sweep()).toBe(2)
    expect(await store.sweep()).toBe(1)
    expect(await store.sweep()).toBe(0)
    expect(await remaining()).toBe(1)
    expect(await store.get(live)).not.toBeNull()
  })

  it('ensureSchema is idempotent and fails with a coded error on a foreign table of that name', async () => {
    const table = `${tableOf(await ctx.open())}_again`
    const store = sqliteStore({ client: client(), table, clock: ctx.clock })
    await store.ensureSchema()
    await store.ensureSchema()
    const indexes = await sql(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      [table],
    )
    expect(indexes.map((r) => r.name)).toEqual([`${table}_expires_at_idx`, `${table}_user_id_idx`])
    const foreign = `${table}_foreign`
    await exec(`CREATE TABLE "${foreign}" (sid TEXT PRIMARY KEY, sess TEXT)`)
    const error = await sqliteStore({ client: client(), table: foreign })
      .ensureSchema()
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_FAILURE', operation: 'ensureSchema' })
    expect((error as Error).message).toMatch(
      /^\[sess\] \[store-sqlite\] The table ".*" exists but lacks the store's columns/,
    )
    expect((error as Error).cause).toBeDefined()
    await exec(`DROP TABLE "${foreign}"`)
    await exec(`DROP TABLE "${table}"`)
  })
}
