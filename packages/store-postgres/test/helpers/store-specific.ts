import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { inspect } from 'node:util'
import type { Store } from '@sess/core'
import { recordProblem, touchedExpiresAt } from '@sess/core'
import type { StoreSuiteContext } from '@sess/testing'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { PostgresStore } from '../../src/index.js'
import { postgresStore, schemaSQL } from '../../src/index.js'
import type { TestClient } from './pg.js'
import { PG_URL } from './pg.js'

type Open = (options?: {
  hashIds?: boolean | undefined
  deviceMetadata?: boolean
  sweep?: false
}) => Promise<PostgresStore>

const sha256 = (id: string): string => createHash('sha256').update(id).digest('hex')

/** What only a SQL store can be asked: real columns, server-side patches, the sweep, the schema, corrupt rows. */
export function postgresSpecificTests(
  ctx: StoreSuiteContext,
  client: () => TestClient,
  schema: () => string,
  open: Open,
): void {
  const q = (text: string, params?: unknown[]) => client().query(text, params)
  const row = async (store: PostgresStore, id: string) =>
    (
      await q(
        `SELECT id, data, extract(epoch from expires_at) * 1000 AS expires, extract(epoch from created_at) * 1000 AS created,
          version, user_id, max_age, user_agent, ip, last_seen_at FROM ${store.table} WHERE id = $1`,
        [id],
      )
    )[0]

  describe('real columns', () => {
    it('keeps the record in typed columns and patches jsonb on the server', async () => {
      const store = await open()
      const id = ctx.id()
      const record = ctx.record({ a: 1, b: { c: 2 } }, { userId: 'u1', maxAge: 600, version: 3 })
      await ctx.put(store, id, record)
      const stored = await row(store, id)
      expect(stored).toMatchObject({ data: { a: 1, b: { c: 2 } }, user_id: 'u1', max_age: 600, version: 3 })
      expect(Number(stored?.expires)).toBe(record.expiresAt)
      expect(Number(stored?.created)).toBe(record.createdAt)
      expect(stored?.user_agent).toBeNull()
      // A key changed by someone else between our read and our patch survives: the patch names only its keys.
      await q(`UPDATE ${store.table} SET data = data || '{"other":true}' WHERE id = $1`, [id])
      const expiresAt = ctx.clock.now() + 7200_000
      expect(await store.patch(id, { set: { a: 2 }, unset: ['b'], expiresAt, userId: null }, 7200)).toBe('ok')
      expect(await row(store, id)).toMatchObject({ data: { a: 2, other: true }, user_id: null, version: 4 })
    })

    it('round-trips NUL characters, lone surrogates and the escape mark itself, in values and keys', async () => {
      const store = await open()
      const id = ctx.id()
      const data = {
        nul: 'a\u0000b',
        'k\u0000ey': ['\u0000'],
        lone: '\ud800x\udfff',
        mark: '\ue000 \ue0000 \ue0001 \\u0000',
        slash: '\\\u0000\\',
      }
      await ctx.put(store, id, ctx.record(data))
      expect((await store.get(id))?.data).toEqual(data)
      expect(
        await store.patch(
          id,
          { set: { 'n\u0000': '\u0000' }, unset: ['k\u0000ey'], expiresAt: ctx.clock.now() + 60_000 },
          60,
        ),
      ).toBe('ok')
      const { 'k\u0000ey': _, ...rest } = data
      expect((await store.get(id))?.data).toEqual({ ...rest, 'n\u0000': '\u0000' })
    })
  })

  describe('the refresh inside the read', () => {
    it('gives the same answer as core’s touchedExpiresAt on a grid of cases', async () => {
      const store = await open()
      const now = ctx.clock.now()
      let cases = 0
      for (const maxAge of [undefined, null, 600, 1.5]) {
        for (const left of [500, 60_000, 3_000_000]) {
          for (const touchAfter of [0, 1, 30, 600.5]) {
            for (const absolute of [null, 1800, 3601]) {
              const record = ctx.record({ n: cases }, { createdAt: now - 1_000_000, expiresAt: now + left, maxAge })
              const policy = { now, idleTimeout: 3600, absoluteTimeout: absolute, touchAfter }
              const id = ctx.id()
              await ctx.put(store, id, record, 3600)
              const expected = touchedExpiresAt(record, policy)
              const got = await store.getAndTouch(id, policy)
              expect({ maxAge, left, touchAfter, absolute, got }).toEqual({
                maxAge,
                left,
                touchAfter,
                absolute,
                got:
                  expected === undefined
                    ? { session: record, touched: false }
                    : { session: { ...record, expiresAt: expected }, touched: true },
              })
              cases++
            }
          }
        }
      }
      expect(cases).toBe(144)
    })
  })

  describe('errors', () => {
    it('a failed statement rejects with the driver error, which shows neither the session id nor the data', async () => {
      const store = await open()
      await q(`DROP TABLE ${store.table}`)
      const id = `secret-id-${randomUUID()}`
      const calls: (() => Promise<unknown>)[] = [
        () => store.get(id),
        () => ctx.put(store, id, ctx.record({ secretData: 'hunter2-data' }, { userId: 'secret-user' })),
        () => store.patch(id, { set: { secretData: 'hunter2-data' }, unset: [], expiresAt: ctx.clock.now() + 1000 }, 1),
        () => store.destroy(id),
      ]
      for (const call of calls) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error).toMatchObject({ code: '42P01' })
        const shown = inspect(error, { depth: 10, showHidden: false })
        expect(shown).not.toContain(id)
        expect(shown).not.toContain('hunter2-data')
      }
    })
  })

  describe('hashIds', () => {
    it('keeps rows under SHA-256 of the id, lists "#" + hex, and revokes by the listed id', async () => {
      const store = await open({ hashIds: true })
      const [a, b, c] = [ctx.id(), ctx.id(), ctx.id()]
      for (const id of [a, b, c]) await ctx.put(store, id, ctx.record({ id: 'x' }, { userId: 'hashed-user' }))
      expect(await row(store, a)).toBeUndefined()
      expect((await row(store, sha256(a)))?.id).toBe(sha256(a))
      expect((await store.listByUser('hashed-user')).map((s) => s.id).sort()).toEqual(
        [a, b, c].map((id) => `#${sha256(id)}`).sort(),
      )
      // A cookie carrying a listed id loads nothing.
      expect(await store.get(`#${sha256(a)}`)).toBeNull()
      await store.destroy(`#${sha256(a)}`)
      expect(await store.get(a)).toBeNull()
      expect(await store.destroyByUser('hashed-user', { except: `#${sha256(b)}` })).toBe(1)
      expect(await store.get(b)).not.toBeNull()
      expect(await store.get(c)).toBeNull()
    })
  })

  describe('device metadata', () => {
    it('records user agent and IP only when deviceMetadata is on, and lists them with last-seen', async () => {
      const on = await open({ deviceMetadata: true })
      const off = await open()
      const record = { ...ctx.record({}, { userId: 'dev-user' }), userAgent: 'Firefox/140', ip: '203.0.113.7' }
      const id = ctx.id()
      const before = ctx.clock.now()
      for (const store of [on, off]) await ctx.put(store, id, record)
      expect(await row(on, id)).toMatchObject({ user_agent: 'Firefox/140', ip: '203.0.113.7' })
      expect(await row(off, id)).toMatchObject({ user_agent: null, ip: null })
      expect(await on.get(id)).toEqual(record)
      const [listed] = await on.listByUser('dev-user')
      expect(listed?.session).toMatchObject({ userAgent: 'Firefox/140', ip: '203.0.113.7' })
      expect(listed?.lastSeenAt).toBeGreaterThanOrEqual(before - 1)
      const [plain] = await off.listByUser('dev-user')
      expect(plain?.session).not.toHaveProperty('userAgent')
    })
  })

  describe('corrupt rows', () => {
    const corrupt = async (store: PostgresStore, id: string, sql: string) => {
      await ctx.put(
        store,
        id,
        ctx.record({ fine: true }, { userId: 'corrupt-user', expiresAt: ctx.clock.now() + 60_000 }),
        60,
      )
      await q(`UPDATE ${store.table} SET ${sql} WHERE id = $1`, [id])
    }
    const cases: [string, string][] = [
      ['data is an array', `data = '[1,2]'`],
      ['data is a string', `data = '"text"'`],
      ['data is JSON null', `data = 'null'`],
      ['max_age is a string', `max_age = '"soon"'`],
      ['data is NULL', 'data = NULL'],
      ['created_at is NULL', 'created_at = NULL'],
      ['expires_at is NULL', 'expires_at = NULL'],
      ['version is NULL', 'version = NULL'],
    ]
    for (const [title, sql] of cases) {
      it(`${title}: an invalid record, never touched, patched, listed or counted`, async () => {
        const store = await open()
        await q(`ALTER TABLE ${store.table} ALTER data DROP NOT NULL, ALTER created_at DROP NOT NULL,
          ALTER expires_at DROP NOT NULL, ALTER version DROP NOT NULL`)
        const id = ctx.id()
        await corrupt(store, id, sql)
        const before = await row(store, id)
        const got = await store.get(id)
        expect(recordProblem(got)).toEqual(expect.any(String))
        const policy = { now: ctx.clock.now(), idleTimeout: 86_400, absoluteTimeout: null, touchAfter: 0 }
        const touched = await store.getAndTouch(id, policy)
        expect(touched?.touched).toBe(false)
        expect(recordProblem(touched?.session)).toEqual(expect.any(String))
        await store.touch(id, ctx.clock.now() + 86_400_000, 86_400)
        expect(
          await store.patch(id, { set: { a: 1 }, unset: [], expiresAt: ctx.clock.now() + 86_400_000 }, 86_400),
        ).toBe('missing')
        expect(await row(store, id)).toEqual(before)
        expect(await store.listByUser('corrupt-user')).toEqual([])
        expect(await store.count()).toBe(0)
        expect(await store.destroyByUser('corrupt-user')).toBe(0)
        expect(await row(store, id)).toBeUndefined()
      })
    }
  })

  describe('sweep', () => {
    it('deletes a bounded batch of expired rows inside a write, never the row being written', async () => {
      // The rows are written through a store that never sweeps, so only the store under test removes them.
      const base = await open({ sweep: false })
      const store = postgresStore({
        client: client().client,
        schema: schema(),
        table: tableOf(base),
        sweep: { probability: 1, limit: 3 },
      })
      const now = ctx.clock.now()
      const expired = Array.from({ length: 5 }, () => ctx.id())
      for (const id of expired) await ctx.put(base, id, ctx.record({}, { expiresAt: now - 1000 }), 60)
      const live = ctx.id()
      await ctx.put(base, live, ctx.record({ live: true }))
      const rows = async () => Number((await q(`SELECT count(*) AS n FROM ${store.table}`))[0]?.n)
      expect(await rows()).toBe(6)
      // Overwriting an expired id: the sweep must leave that row to the upsert.
      await ctx.put(store, expired[0]!, ctx.record({ back: true }))
      expect(await rows()).toBe(3)
      expect((await store.get(expired[0]!))?.data).toEqual({ back: true })
      expect(await store.patch(live, { set: { b: 1 }, unset: [], expiresAt: now + 60_000 }, 60)).toBe('ok')
      expect(await rows()).toBe(2)
      const never = postgresStore({ client: client().client, schema: schema(), table: tableOf(base), sweep: false })
      await ctx.put(base, ctx.id(), ctx.record({}, { expiresAt: now - 1000 }), 60)
      await ctx.put(never, ctx.id(), ctx.record())
      expect(await rows()).toBe(4)
    })
  })

  describe('schema', () => {
    it('ensureSchema is idempotent, and the shipped migration file is schemaSQL()', async () => {
      const store = await open()
      await store.ensureSchema()
      await store.ensureSchema()
      const file = await readFile(new URL('../../migrations/001_create_sess_sessions.sql', import.meta.url), 'utf8')
      expect(file).toBe(schemaSQL())
      // Applied as a migration tool would, then ensureSchema has nothing to create and accepts the table.
      const own = new pg.Client({ connectionString: PG_URL })
      await own.connect()
      try {
        const target = `m_${randomUUID().slice(0, 8)}`
        await own.query(`CREATE SCHEMA "${target}"; SET search_path TO "${target}"; ${file}`)
        await postgresStore({ client: own, schema: target }).ensureSchema()
        const s = postgresStore({ client: own })
        await ctx.put(s, 'migrated', ctx.record({ ok: 1 }))
        expect((await s.get('migrated'))?.data).toEqual({ ok: 1 })
        await own.query(`DROP SCHEMA "${target}" CASCADE`)
      } finally {
        await own.end()
      }
    })

    it('ensureSchema rejects a foreign table of the same name with a coded error naming the missing columns', async () => {
      const table = `foreign_${randomUUID().slice(0, 8)}`
      await q(
        `CREATE TABLE "${schema()}"."${table}" (sid varchar PRIMARY KEY, sess json NOT NULL, expire timestamp(6) NOT NULL)`,
      )
      const store = postgresStore({ client: client().client, schema: schema(), table })
      await expect(store.ensureSchema()).rejects.toMatchObject({
        code: 'OPTION_INVALID',
        message: expect.stringMatching(/^\[sess\].*no column id, data/),
      })
    })

    it('ensureSchema without rights fails with STORE_FAILURE saying what to run, and passes once the table exists', async () => {
      const role = `sess_norights_${randomUUID().slice(0, 8)}`
      const target = `nr_${randomUUID().slice(0, 8)}`
      await q(`CREATE ROLE ${role} LOGIN; CREATE SCHEMA "${target}"; GRANT USAGE ON SCHEMA "${target}" TO ${role}`)
      const url = new URL(PG_URL)
      url.username = role
      const limited = new pg.Client({ connectionString: url.toString() })
      await limited.connect()
      try {
        const store = postgresStore({ client: limited, schema: target })
        const error = await store.ensureSchema().catch((e: unknown) => e)
        expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_FAILURE', operation: 'ensureSchema' })
        expect((error as Error).message).toMatch(
          /^\[sess\] \[store-postgres\].*permission denied.*migrations\/001_create_sess_sessions\.sql/,
        )
        await q(schemaSQL({ schema: target }))
        await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${target}" TO ${role}`)
        await store.ensureSchema()
        await ctx.put(store, 'limited', ctx.record({ ok: true }))
        expect((await store.get('limited'))?.data).toEqual({ ok: true })
      } finally {
        await limited.end()
        await q(`DROP SCHEMA "${target}" CASCADE; DROP OWNED BY ${role}; DROP ROLE ${role}`)
      }
    })
  })
}

/** The bare table name of a store created by the suite (its `table` is quoted and schema-qualified). */
function tableOf(store: Store): string {
  return (store as PostgresStore).table.split('.').at(-1)!.replaceAll('"', '')
}
