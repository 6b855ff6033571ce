import { createHash } from 'node:crypto'
import type { Store, StoredSession, TouchPolicy } from '@sess/core'
import { touchedExpiresAt } from '@sess/core'
import type { StoreSuiteContext } from '@sess/testing'
import { describe, expect, it } from 'vitest'
import type { RedisStore } from '../../src/index.js'
import { redisStore } from '../../src/index.js'
import type { TestClient } from './clients.js'

const INVALID = Symbol.for('@sess/core/invalid-record')
/** Whether a store answered core's invalidRecord() marker (see @sess/core invalidRecord). */
export function isInvalidRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[INVALID] === 'string'
}

/** Where the factory put a store's keys. */
export type PrefixOf = (store: Store) => string

const text = (value: unknown): string => String(value)
const pairs = (flat: unknown): Record<string, string> => {
  const list = Array.isArray(flat) ? flat : Object.entries(flat as object).flat()
  const out: Record<string, string> = {}
  for (let i = 0; i < list.length; i += 2) out[text(list[i])] = text(list[i + 1])
  return out
}

/** Redis-specific checks, run inside the conformance suite for each client and topology. */
export function redisSpecificTests(ctx: StoreSuiteContext, tc: () => TestClient, prefixOf: PrefixOf): void {
  const open = async (): Promise<RedisStore> => (await ctx.open()) as RedisStore
  const raw = (key: string, ...args: string[]): Promise<unknown> => tc().raw(key, ...args)
  const expireTime = async (key: string): Promise<number> => Number(await raw(key, 'PEXPIRETIME', key))
  const record = (data: Record<string, unknown>, overrides: Partial<StoredSession> = {}): StoredSession =>
    ctx.record(data, overrides)

  describe('record layout', () => {
    it('keeps one hash per session: a field per top-level key, meta fields, and a TTL at expiresAt', async () => {
      const store = await open()
      const id = ctx.id()
      const r = record({ a: 1, b: { x: [1] }, 'd:odd': 'ok' }, { userId: 'u-1', maxAge: 600, version: 3 })
      r.expiresAt += 0.25
      await ctx.put(store, id, r)
      const key = prefixOf(store) + id
      expect(pairs(await raw(key, 'HGETALL', key))).toEqual({
        createdAt: String(r.createdAt),
        expiresAt: String(r.expiresAt),
        version: '3',
        userId: 'u-1',
        maxAge: '600',
        'd:a': '1',
        'd:b': '{"x":[1]}',
        'd:d:odd': '"ok"',
      })
      expect(await expireTime(key)).toBe(Math.ceil(r.expiresAt))
      expect(await store.get(id)).toEqual(r)
    })

    it('patches only the fields it names, and moves the TTL with expiresAt', async () => {
      const store = await open()
      const id = ctx.id()
      await ctx.put(store, id, record({ keep: 'k', change: 1, drop: true }))
      const key = prefixOf(store) + id
      const expiresAt = ctx.clock.now() + 7_200_000
      expect(await store.patch(id, { set: { change: 2, add: [1] }, unset: ['drop'], expiresAt }, 7200)).toBe('ok')
      const fields = pairs(await raw(key, 'HGETALL', key))
      expect(fields).toMatchObject({ 'd:keep': '"k"', 'd:change': '2', 'd:add': '[1]', version: '2' })
      expect(fields).not.toHaveProperty('d:drop')
      expect(await expireTime(key)).toBe(Math.ceil(expiresAt))
    })

    it('writes and patches thousands of keys in one script', async () => {
      const store = await open()
      const id = ctx.id()
      const data = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))
      await ctx.put(store, id, record(data))
      const set = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`n${i}`, `v${i}`]))
      const unset = Array.from({ length: 2500 }, (_, i) => `k${i}`)
      expect(await store.patch(id, { set, unset, expiresAt: ctx.clock.now() + 60_000 }, 60)).toBe('ok')
      const got = await store.get(id)
      expect(Object.keys(got?.data ?? {})).toHaveLength(5500)
      expect(got?.data).toMatchObject({ k4999: 4999, n2999: 'v2999' })
      expect(got?.data).not.toHaveProperty('k0')
    })
  })

  describe('getAndTouch', () => {
    it('refreshes exactly when touchedExpiresAt says so, to the same instant', async () => {
      const store = await open()
      const now = Date.now()
      const policy = (idle: number, touchAfter: number, absolute: number | null = null): TouchPolicy => ({
        now,
        idleTimeout: idle,
        absoluteTimeout: absolute,
        touchAfter,
      })
      // Every record stays alive in real time for seconds: Redis expires keys by the wall clock, not by policy.now.
      const cases: Array<[string, Partial<StoredSession>, TouchPolicy]> = [
        ['fresh, within the throttle', { createdAt: now - 1000, expiresAt: now + 86_399_000 }, policy(86_400, 8640)],
        ['due', { createdAt: now - 60_000, expiresAt: now + 5000 }, policy(60, 6)],
        ['exactly touchAfter gained', { createdAt: now - 6000, expiresAt: now + 54_000 }, policy(60, 6)],
        ['just under touchAfter', { createdAt: now - 6000, expiresAt: now + 54_001 }, policy(60, 6)],
        ['capped by the absolute timeout', { createdAt: now - 50_000, expiresAt: now + 5000 }, policy(60, 1, 60)],
        ['cap leaves too little', { createdAt: now - 50_000, expiresAt: now + 5000 }, policy(60, 6, 60)],
        ['absolute timeout reached', { createdAt: now - 61_000, expiresAt: now + 5000 }, policy(60, 0, 60)],
        ['per-session maxAge', { createdAt: now, expiresAt: now + 5000, maxAge: 120 }, policy(60, 6)],
        ['maxAge null uses the idle timeout', { createdAt: now, expiresAt: now + 5000, maxAge: null }, policy(60, 6)],
        ['fractional seconds', { createdAt: now, expiresAt: now + 10_100 }, policy(10.5, 0.05)],
        ['fractional expiry, tiny gain', { createdAt: now, expiresAt: now + 59_999.25 }, policy(60, 0)],
        ['nothing to gain', { createdAt: now, expiresAt: now + 70_000 }, policy(60, 0)],
        ['float noise', { createdAt: now + 0.1, expiresAt: now + 29_000.3 }, policy(33.3, 3.3, 37)],
      ]
      for (const [name, fields, p] of cases) {
        const id = ctx.id()
        const r = record({ name }, fields)
        await ctx.put(store, id, r)
        const expected = touchedExpiresAt(r, p)
        const got = await store.getAndTouch(id, p)
        expect({ name, touched: got?.touched, expiresAt: got?.session.expiresAt }).toEqual({
          name,
          touched: expected !== undefined,
          expiresAt: expected ?? r.expiresAt,
        })
        expect((await store.get(id))?.expiresAt, name).toBe(expected ?? r.expiresAt)
        const key = prefixOf(store) + id
        expect(await expireTime(key), name).toBe(Math.ceil(expected ?? r.expiresAt))
      }
    })

    it('returns null for a missing or expired session and creates nothing', async () => {
      const store = await open()
      const p: TouchPolicy = { now: Date.now(), idleTimeout: 60, absoluteTimeout: null, touchAfter: 0 }
      const missing = ctx.id()
      expect(await store.getAndTouch(missing, p)).toBeNull()
      const expired = ctx.id()
      await ctx.put(store, expired, record({}, { expiresAt: p.now - 1 }), 60)
      expect(await store.getAndTouch(expired, p)).toBeNull()
      expect(await raw(prefixOf(store) + missing, 'EXISTS', prefixOf(store) + missing)).toBe(0)
    })
  })

  describe('user index', () => {
    it('outlives every session it lists, through set, patch, touch and a touching read', async () => {
      const store = await open()
      const [a, b] = [ctx.id(), ctx.id()]
      const user = `u-${ctx.id()}`
      const idx = `${prefixOf(store)}user:${user}`
      const now = ctx.clock.now()
      await ctx.put(store, a, record({}, { userId: user, expiresAt: now + 20_000 }))
      await ctx.put(store, b, record({}, { userId: user, expiresAt: now + 10_000 }))
      const sessionKey = (id: string): string => prefixOf(store) + id
      const check = async (): Promise<void> => {
        const indexAt = await expireTime(idx)
        if (tc().cluster) return void expect(indexAt).toBe(-1) // no TTL in a cluster (see the README)
        for (const id of [a, b]) expect(indexAt).toBeGreaterThanOrEqual(await expireTime(sessionKey(id)))
      }
      await check()
      await store.patch(b, { set: { x: 1 }, unset: [], expiresAt: now + 30_000 }, 30)
      await check()
      await store.touch(a, now + 40_000, 40)
      await check()
      const touched = await store.getAndTouch(b, { now, idleTimeout: 50, absoluteTimeout: null, touchAfter: 1 })
      expect(touched?.touched).toBe(true)
      await check()
      if (!tc().cluster) expect(await expireTime(idx)).toBe(now + 50_000)
    })

    it('drops ids of ended sessions when listing, and standalone also when binding', async () => {
      const store = await open()
      const [a, b, c] = [ctx.id(), ctx.id(), ctx.id()]
      const user = `u-${ctx.id()}`
      const idx = `${prefixOf(store)}user:${user}`
      await ctx.put(store, a, record({}, { userId: user }))
      await ctx.put(store, b, record({}, { userId: user }))
      await raw(prefixOf(store) + a, 'UNLINK', prefixOf(store) + a) // ended behind the store's back
      await ctx.put(store, c, record({}, { userId: user }))
      const members = async (): Promise<string[]> => [...((await raw(idx, 'SMEMBERS', idx)) as string[])].sort()
      if (!tc().cluster) expect(await members()).toEqual([b, c].sort())
      expect((await store.listByUser(user)).map((s) => s.id).sort()).toEqual([b, c].sort())
      expect(await members()).toEqual([b, c].sort())
    })
  })

  describe('foreign and corrupt values', () => {
    it('treats them as no session, never as an error', async () => {
      const store = await open()
      const p = (): TouchPolicy => ({ now: Date.now(), idleTimeout: 60, absoluteTimeout: null, touchAfter: 0 })
      const now = String(Date.now())
      const later = String(Date.now() + 60_000)
      // The last flag: whether the meta fields are sound, so a patch may apply (data that cannot be parsed is
      // replaced by the patch, or stays unreadable); without sound meta a patch or touch finds nothing.
      const plant: Array<[string, string[], boolean]> = [
        ['string', ['SET', '{k}', 'plain text', 'EX', '60'], false],
        ['connect-redis JSON', ['SET', '{k}', '{"cookie":{"originalMaxAge":1000},"views":1}', 'EX', '60'], false],
        ['list', ['RPUSH', '{k}', 'a'], false],
        ['hash with garbage fields', ['HSET', '{k}', 'foo', 'bar', 'baz', '1'], false],
        ['hash without createdAt', ['HSET', '{k}', 'expiresAt', later, 'version', '1', 'd:a', '1'], false],
        [
          'hash with text numbers',
          ['HSET', '{k}', 'createdAt', 'yesterday', 'expiresAt', later, 'version', '1'],
          false,
        ],
        [
          'hash with bad JSON',
          ['HSET', '{k}', 'createdAt', now, 'expiresAt', later, 'version', '1', 'd:b', '{no'],
          true,
        ],
        [
          'hash with bad maxAge',
          ['HSET', '{k}', 'createdAt', now, 'expiresAt', later, 'version', '1', 'maxAge', 'x'],
          true,
        ],
        [
          'hash with an unknown field',
          ['HSET', '{k}', 'createdAt', now, 'expiresAt', later, 'version', '1', 'x', '1'],
          true,
        ],
      ]
      for (const [name, command, patchable] of plant) {
        const id = ctx.id()
        const key = prefixOf(store) + id
        await raw(key, ...command.map((part) => (part === '{k}' ? key : part)))
        // Reported as an invalid record (the core starts a fresh session and emits record-invalid), never thrown.
        expect(isInvalidRecord(await store.get(id)), name).toBe(true)
        expect(isInvalidRecord((await store.getAndTouch(id, p()))?.session), name).toBe(true)
        expect(await store.listByUser(`nobody-${id}`)).toEqual([])
        const expiresAt = Date.now() + 60_000
        const result = await store.patch(id, { set: { a: 2 }, unset: [], expiresAt }, 60)
        expect(result, name).toBe(patchable ? 'ok' : 'missing')
        await store.touch(id, expiresAt, 60)
        expect(isInvalidRecord(await store.get(id)), name).toBe(true)
        await ctx.put(store, id, record({ replaced: name }))
        expect((await store.get(id))?.data, name).toEqual({ replaced: name })
        await store.destroy(id)
      }
    })
  })

  describe('a read never extends what the core rejects (issue 17.8)', () => {
    it('leaves the TTL and expiresAt of a corrupt record where they were, touch due or not', async () => {
      const store = await open()
      const now = Date.now()
      const later = String(now + 60_000)
      const plant: Array<[string, string[]]> = [
        ['bad JSON in a data field', ['createdAt', String(now), 'expiresAt', later, 'version', '1', 'd:a', '{no']],
        ['empty meta fields', ['createdAt', '', 'expiresAt', later, 'version', '', 'd:a', '1']],
        ['an unknown field', ['createdAt', String(now), 'expiresAt', later, 'version', '1', 'x', '1']],
        ['a bad maxAge', ['createdAt', String(now), 'expiresAt', later, 'version', '1', 'maxAge', 'x']],
        ['a version of inf', ['createdAt', String(now), 'expiresAt', later, 'version', 'inf']],
      ]
      for (const [name, fields] of plant) {
        const id = ctx.id()
        const key = prefixOf(store) + id
        await raw(key, 'HSET', key, ...fields)
        await raw(key, 'PEXPIRE', key, '60000')
        for (let i = 0; i < 3; i++) {
          const policy = { now: Date.now(), idleTimeout: 86_400, absoluteTimeout: null, touchAfter: 0 }
          const got = await store.getAndTouch(id, policy)
          expect(isInvalidRecord(got?.session), name).toBe(true)
          expect(got?.touched, name).toBe(false)
        }
        expect(Number(await raw(key, 'PTTL', key)), name).toBeLessThanOrEqual(60_000)
        expect(text(await raw(key, 'HGET', key, 'expiresAt')), name).toBe(later)
      }
    })
  })

  describe('scripts', () => {
    it('reloads its scripts after the server forgot them (SCRIPT FLUSH, restart, failover)', async () => {
      const store = await open()
      const id = ctx.id()
      await ctx.put(store, id, record({ a: 1 }))
      await tc().onEachMaster('SCRIPT', 'FLUSH')
      expect((await store.get(id))?.data).toEqual({ a: 1 })
      await tc().onEachMaster('SCRIPT', 'FLUSH')
      expect(await store.patch(id, { set: { b: 2 }, unset: [], expiresAt: Date.now() + 60_000 }, 60)).toBe('ok')
      expect((await store.get(id))?.data).toEqual({ a: 1, b: 2 })
    })
  })

  describe('options', () => {
    it('hashIds: keys and indexes hold only SHA-256 of ids; listed ids work for destroy, not for get', async () => {
      const prefix = `sess-test-hash:${ctx.id()}:`
      const store = redisStore({ client: tc().client, prefix, hashIds: true })
      try {
        const [a, b] = [ctx.id(), ctx.id()]
        const user = `u-${ctx.id()}`
        const hex = (id: string): string => createHash('sha256').update(id).digest('hex')
        await ctx.put(store, a, record({ device: 'a' }, { userId: user }))
        await ctx.put(store, b, record({ device: 'b' }, { userId: user }))
        expect(await raw(prefix + hex(a), 'EXISTS', prefix + hex(a))).toBe(1)
        expect(await raw(prefix + a, 'EXISTS', prefix + a)).toBe(0)
        expect((await store.get(a))?.data).toEqual({ device: 'a' })
        const listed = (await store.listByUser(user)).map((s) => s.id).sort()
        expect(listed).toEqual([`#${hex(a)}`, `#${hex(b)}`].sort())
        expect(await store.get(`#${hex(a)}`)).toBeNull()
        await store.destroy(`#${hex(a)}`)
        expect(await store.get(a)).toBeNull()
        await ctx.put(store, a, record({ device: 'a2' }, { userId: user }))
        expect(await store.destroyByUser(user, { except: b })).toBe(1)
        expect(await store.get(b)).not.toBeNull()
        expect(await store.destroyByUser(user, { except: `#${hex(b)}` })).toBe(0)
        expect(await store.destroyByUser(user)).toBe(1)
        expect(await store.count()).toBe(0)
      } finally {
        await store.clear()
      }
    })

    it('clear and count escape glob characters in the prefix and leave other prefixes alone', async () => {
      const base = `sess-test-glob:${ctx.id()}`
      const star = redisStore({ client: tc().client, prefix: `${base}*[ab]?\\:` })
      const other = redisStore({ client: tc().client, prefix: `${base}xa!:` })
      try {
        await ctx.put(star, ctx.id(), record({}, { userId: 'u' }))
        for (let i = 0; i < 3; i++) await ctx.put(other, ctx.id(), record({}, { userId: 'u' }))
        expect(await star.count()).toBe(1)
        expect(await other.count()).toBe(3)
        await star.clear()
        expect(await star.count()).toBe(0)
        expect(await other.count()).toBe(3)
        expect(await other.listByUser('u')).toHaveLength(3)
      } finally {
        await other.clear()
      }
    })
  })
}
