import { readFileSync } from 'node:fs'
import type { Store, SessionRecord } from '@sess/core'
import { recordProblem } from '@sess/core'
import type { StoreSuiteContext } from '@sess/testing'
import { expect, it } from 'vitest'
import type { MySQLClientLike, MySQLStore } from '../../src/index.js'
import { mysqlStore, schemaSQL } from '../../src/index.js'
import { countStatements, tableName } from './database.js'

const invalidReason = (record: SessionRecord | null | undefined): string | undefined =>
  record ? recordProblem(record) : undefined

/** What only a SQL store can be asked: its columns, statement counts, corrupt rows, hashed ids, sweeps. */
export function mysqlSpecificTests(
  ctx: StoreSuiteContext,
  client: () => MySQLClientLike,
  tableOf: (store: Store) => string,
): void {
  const rows = async (sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> =>
    ((await client().query(sql, values)) as [Record<string, unknown>[]])[0]
  /** A second store on the table of a suite store, with `options` and a counting client. */
  const sibling = async (options: Partial<Parameters<typeof mysqlStore>[0]> = {}) => {
    const base = await ctx.open()
    const table = tableOf(base)
    const counting = countStatements(client())
    const store = mysqlStore({ client: counting.client, table, clock: ctx.clock, sweep: false, ...options })
    return { store, table, statements: counting.statements }
  }

  it('keeps the record in real columns: user_id, times, version, and the data as JSON', async () => {
    const { store, table } = await sibling()
    const id = ctx.id()
    const record = ctx.record({ cart: [1, 2] }, { userId: 'user-7', version: 3, maxAge: null })
    await ctx.put(store, id, record)
    const [row] = await rows(`SELECT * FROM \`${table}\` WHERE id = ?`, [id])
    expect(row).toMatchObject({ user_id: 'user-7', version: 3, max_age: -1, user_agent: null, ip: null })
    expect(Number(row?.created_at)).toBe(record.createdAt)
    expect(Number(row?.expires_at)).toBe(record.expiresAt)
    expect(Number(row?.last_seen_at)).toBe(ctx.clock.now())
    const data = typeof row?.data === 'string' ? JSON.parse(row.data) : row?.data
    expect(data).toEqual({ cart: [1, 2] })
  })

  it('spends 1 statement per read, write, patch and destroy; a due refresh is a second, guarded statement', async () => {
    const { store, statements } = await sibling()
    const id = ctx.id()
    const count = async (fn: () => Promise<unknown>): Promise<number> => {
      const before = statements.length
      await fn()
      return statements.length - before
    }
    expect(await count(() => ctx.put(store, id, ctx.record({ a: 1 }, { expiresAt: ctx.clock.now() + 600_000 })))).toBe(
      1,
    )
    expect(await count(() => store.get(id))).toBe(1)
    expect(await count(() => store.getAndTouch(id, ctx.policy({ touchAfter: 3600 })))).toBe(1)
    const touched = await store.getAndTouch(id, ctx.policy({ touchAfter: 60 }))
    expect(touched?.touched).toBe(true)
    expect(statements.at(-1)).toMatch(/^UPDATE .* WHERE id = \? AND expires_at > \? AND expires_at < \?$/)
    const patch = { set: { b: 2 }, unset: ['a'], expiresAt: ctx.clock.now() + 3600_000 }
    expect(await count(() => store.patch(id, patch, 3600))).toBe(1)
    expect(await count(() => store.patch(id, { ...patch, expectedVersion: 2 }, 3600))).toBe(1)
    expect(await count(() => store.touch(id, ctx.clock.now() + 3600_000, 3600))).toBe(1)
    expect(await count(() => store.destroy(id))).toBe(1)
    expect(await count(() => store.patch(id, patch, 3600))).toBe(1)
    // Only a strict write that matched nothing asks again, to tell a conflict from a missing session.
    expect(await count(() => store.patch(id, { ...patch, expectedVersion: 9 }, 3600))).toBe(2)
  })

  it('reports corrupt rows as invalid records, never as sessions, and leaves them out of listings', async () => {
    const { store, table } = await sibling()
    await client().query(`ALTER TABLE \`${table}\` MODIFY version BIGINT NULL, MODIFY created_at BIGINT NULL`)
    const now = ctx.clock.now()
    const cases: [string, string, unknown, unknown][] = [
      ['array', '[1, 2]', now, 1],
      ['string', '"text"', now, 1],
      ['json null', 'null', now, 1],
      ['null version', '{"a": 1}', now, null],
      ['null created_at', '{"a": 1}', null, 1],
    ]
    const user = `user-${ctx.id()}`
    for (const [id, data, createdAt, version] of cases) {
      await client().query(
        `INSERT INTO \`${table}\` (id, data, created_at, expires_at, last_seen_at, version, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [id, data, createdAt, now + 60_000, now, version, user],
      )
    }
    for (const [id] of cases) {
      expect(invalidReason(await store.get(id)), id).toMatch(
        /^(data is not an object|version is null|created_at is null)$/,
      )
      const read = await store.getAndTouch(id, ctx.policy({ touchAfter: 0 }))
      expect(read?.touched, id).toBe(false)
      expect(invalidReason(read?.session), id).toEqual(expect.any(String))
    }
    expect(await store.listByUser(user)).toEqual([])
  })

  it('hashIds: stores SHA-256 hex, lists "#" + hex, and revokes by the listed id', async () => {
    const { store, table } = await sibling({ hashIds: true })
    const [a, b, c] = [ctx.id(), ctx.id(), ctx.id()]
    const user = `user-${ctx.id()}`
    for (const id of [a, b, c]) await ctx.put(store, id, ctx.record({ id }, { userId: user }))
    const stored = await rows(`SELECT id FROM \`${table}\` WHERE user_id = ?`, [user])
    expect(stored.map((r) => r.id)).not.toContain(a)
    for (const r of stored) expect(r.id).toMatch(/^[0-9a-f]{64}$/)
    const listed = await store.listByUser(user)
    expect(listed.map((s) => s.id).sort()).toEqual(stored.map((r) => `#${r.id}`).sort())
    const listedA = listed.find((s) => s.session.data.id === a)!.id
    const listedB = listed.find((s) => s.session.data.id === b)!.id
    // A listed id is no cookie id: reading it finds nothing.
    expect(await store.get(listedA)).toBeNull()
    await store.destroy(listedA)
    expect(await store.get(a)).toBeNull()
    expect(await store.destroyByUser(user, { except: listedB })).toBe(1)
    expect(await store.get(b)).not.toBeNull()
    expect(await store.get(c)).toBeNull()
    expect(await store.destroyByUser(user, { except: b })).toBe(0)
  })

  it('deviceMetadata: keeps a record’s userAgent and ip in their columns and returns them; off, neither', async () => {
    const { store, table } = await sibling({ deviceMetadata: true })
    const plain = mysqlStore({ client: client(), table, clock: ctx.clock, sweep: false })
    const [id, other] = [ctx.id(), ctx.id()]
    const user = `user-${ctx.id()}`
    const columns = async (sid: string) =>
      (await rows(`SELECT user_agent, ip FROM \`${table}\` WHERE id = ?`, [sid]))[0]
    const device = { userAgent: `Firefox/140 ${'x'.repeat(600)}`, ip: '2001:db8::1' }
    await ctx.put(store, id, { ...ctx.record({ a: 1 }, { userId: user }), ...device })
    expect(await columns(id)).toEqual({ user_agent: device.userAgent.slice(0, 512), ip: device.ip })
    expect(await store.get(id)).toMatchObject({
      data: { a: 1 },
      userAgent: device.userAgent.slice(0, 512),
      ip: device.ip,
    })
    await store.patch(id, { set: { b: 2 }, unset: [], expiresAt: ctx.clock.now() + 60_000 }, 60)
    expect(await columns(id)).toEqual({ user_agent: device.userAgent.slice(0, 512), ip: device.ip })
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
    const remaining = async () => Number((await rows(`SELECT COUNT(*) AS n FROM \`${table}\``))[0]?.n)
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
    const table = tableName()
    const store: MySQLStore = mysqlStore({ client: client(), table, clock: ctx.clock })
    await store.ensureSchema()
    await store.ensureSchema()
    const foreign = tableName()
    await client().query(`CREATE TABLE \`${foreign}\` (sid VARCHAR(64) PRIMARY KEY, sess JSON)`)
    try {
      const error = await mysqlStore({ client: client(), table: foreign })
        .ensureSchema()
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_FAILURE', operation: 'ensureSchema' })
      expect((error as Error).message).toMatch(
        /^\[sess\] \[store-mysql\] The table `.*` exists but lacks the store's columns/,
      )
      expect((error as Error).cause).toBeInstanceOf(Error)
    } finally {
      await client().query(`DROP TABLE IF EXISTS \`${foreign}\`, \`${table}\``)
    }
  })

  it('ships a migration identical to schemaSQL(), which MySQL runs as it is', async () => {
    const file = readFileSync(new URL('../../migrations/001_create_sess_sessions.sql', import.meta.url), 'utf8')
    expect(file).toBe(schemaSQL())
    const table = tableName()
    await client().query(schemaSQL({ table }))
    await client().query(schemaSQL({ table }))
    const store = mysqlStore({ client: client(), table, clock: ctx.clock })
    await store.ensureSchema()
    await client().query(`DROP TABLE \`${table}\``)
  })
}
