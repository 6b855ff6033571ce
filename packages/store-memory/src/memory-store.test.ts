import { createSessionManager } from '@sess/core'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MemoryStore } from './memory-store.js'
import { memoryStore } from './memory-store.js'

const clock = fakeClock()

describeStoreConformance('memory', {
  create: (options) => memoryStore({ clock: options?.clock ?? clock }),
  cleanup: (store) => (store as MemoryStore).stop(),
  // Ids never leave the process, so there is nothing to hash; and it holds only the JSON it wrote itself.
  capabilities: { hashIds: false },
  clock,
})

const HOUR = 3600_000
const record = (data: Record<string, unknown> = {}, ttlMs = HOUR, userId?: string) => ({
  data,
  createdAt: clock.now(),
  expiresAt: clock.now() + ttlMs,
  version: 1,
  ...(userId === undefined ? {} : { userId }),
})

describe('memoryStore', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  describe('all()', () => {
    it('lists live sessions, least recently used first, as copies, without expired ones', async () => {
      const store = memoryStore({ clock })
      await store.set('a', record({ n: 1 }), 3600)
      await store.set('b', record({ n: 2 }, 1000), 3600)
      await store.set('c', record({ n: 3 }), 3600)
      await store.get('a')
      expect((await store.all()).map((s) => [s.id, s.session.data])).toEqual([
        ['b', { n: 2 }],
        ['c', { n: 3 }],
        ['a', { n: 1 }],
      ])
      const listed = await store.all()
      ;(listed[0]?.session.data as { n: number }).n = 99
      expect((await store.get('b'))?.data).toEqual({ n: 2 })
      clock.advance(1001)
      expect((await store.all()).map((s) => s.id)).toEqual(['c', 'a'])
    })
  })

  describe('max (LRU eviction)', () => {
    it('evicts the least recently used session first, and a get counts as a use', async () => {
      const store = memoryStore({ clock, max: 3 })
      for (const id of ['a', 'b', 'c']) await store.set(id, record({ id }), 3600)
      expect(await store.get('a')).not.toBeNull()
      await store.set('d', record({ id: 'd' }), 3600)
      expect(store.size).toBe(3)
      expect(await store.get('b')).toBeNull()
      for (const id of ['a', 'c', 'd']) expect(await store.get(id)).not.toBeNull()
    })

    it('counts overwrites, touches and patches as uses', async () => {
      const store = memoryStore({ clock, max: 3 })
      for (const id of ['a', 'b', 'c']) await store.set(id, record(), 3600)
      await store.set('a', record({ again: true }), 3600)
      await store.touch('b', clock.now() + HOUR, 3600)
      await store.set('d', record(), 3600)
      expect(await store.get('c')).toBeNull()
      await store.patch('a', { set: { x: 1 }, unset: [], expiresAt: clock.now() + HOUR }, 3600)
      await store.set('e', record(), 3600)
      expect(await store.get('b')).toBeNull()
      expect((await store.get('a'))?.data).toEqual({ again: true, x: 1 })
    })

    // Issue 17.2: with saveUninitialized, every cookieless request stores an empty session; at `max` they used to
    // push out the oldest sessions whatever they held, logged-in users included.
    it('evicts empty sessions before sessions with data, and those before user-bound ones', async () => {
      const store = memoryStore({ clock, max: 100 })
      await store.set('user', record({}, HOUR, 'alice'), 3600)
      await store.set('cart', record({ items: 2 }), 3600)
      for (let i = 0; i < 1000; i++) await store.set(`anon${i}`, record(), 3600)
      expect(store.size).toBe(100)
      expect(await store.get('user')).not.toBeNull()
      expect((await store.get('cart'))?.data).toEqual({ items: 2 })
      expect(await store.get('anon899')).toBeNull()
      expect(await store.get('anon999')).not.toBeNull()
      for (let i = 0; i < 1000; i++) await store.set(`data${i}`, record({ i }), 3600)
      expect(await store.get('user')).not.toBeNull()
      expect(await store.get('cart')).toBeNull()
      expect(await store.get('anon999')).toBeNull()
      expect((await store.listByUser('alice')).map((s) => s.id)).toEqual(['user'])
    })

    it('moves a session between tiers as it gains or loses data, and evicts user-bound ones by LRU when all are', async () => {
      const store = memoryStore({ clock, max: 2 })
      await store.set('a', record(), 3600)
      await store.set('b', record(), 3600)
      await store.patch('a', { set: { x: 1 }, unset: [], expiresAt: clock.now() + HOUR }, 3600)
      await store.set('c', record(), 3600)
      expect(await store.get('b')).toBeNull()
      await store.patch('a', { set: {}, unset: ['x'], expiresAt: clock.now() + HOUR }, 3600)
      await store.set('d', record(), 3600)
      expect(await store.get('c')).toBeNull()
      await store.set('e', record(), 3600)
      expect(await store.get('a')).toBeNull()
      expect(await store.get('d')).not.toBeNull()
      const users = memoryStore({ clock, max: 2 })
      for (const id of ['u1', 'u2', 'u3']) await users.set(id, record({}, HOUR, id), 3600)
      expect(await users.get('u1')).toBeNull()
      expect(await users.get('u3')).not.toBeNull()
    })

    it('removes an evicted session from its user’s index', async () => {
      const store = memoryStore({ clock, max: 2 })
      await store.set('a', record({}, HOUR, 'user'), 3600)
      await store.set('b', record({}, HOUR, 'other'), 3600)
      await store.set('c', record({}, HOUR, 'other'), 3600)
      expect(await store.listByUser('user')).toEqual([])
      // A stale index entry would now wrongly list (and revoke) the unrelated session reusing the id.
      await store.set('a', record({ unrelated: true }, HOUR, 'someone'), 3600)
      expect(await store.listByUser('user')).toEqual([])
      expect(await store.destroyByUser('user')).toBe(0)
      expect(await store.get('a')).not.toBeNull()
    })
  })

  describe('records', () => {
    it('hands out fresh copies: changing a record read or written never changes what the store holds', async () => {
      const store = memoryStore({ clock })
      const written = { ...record({ cart: { items: [1] } }, HOUR, 'u1'), maxAge: 600, userAgent: 'UA', ip: '::1' }
      await store.set('a', written, 3600)
      ;(written.data.cart as { items: number[] }).items.push(2)
      written.userId = 'u2'
      const first = await store.get('a')
      expect(first).toEqual({
        ...record({ cart: { items: [1] } }, HOUR, 'u1'),
        maxAge: 600,
        userAgent: 'UA',
        ip: '::1',
      })
      ;(first!.data.cart as { items: number[] }).items.push(3)
      first!.expiresAt = 0
      first!.userId = 'u3'
      expect(await store.get('a')).toEqual(
        expect.objectContaining({ data: { cart: { items: [1] } }, expiresAt: clock.now() + HOUR, userId: 'u1' }),
      )
      expect((await store.listByUser('u1')).map((s) => s.id)).toEqual(['a'])
    })

    it('keeps fields beyond the known ones, as JSON keeps them, and drops undefined ones', async () => {
      const store = memoryStore({ clock })
      await store.set('a', { ...record({ n: 1 }), future: { nested: true }, maxAge: undefined } as never, 3600)
      const got = (await store.get('a')) as unknown as Record<string, unknown>
      expect(got).toEqual({ ...record({ n: 1 }), future: { nested: true } })
      expect(Object.hasOwn(got, 'maxAge')).toBe(false)
      expect(Object.hasOwn(got, 'userId')).toBe(false)
    })

    it('a touch and a patch keep the other fields and the data', async () => {
      const store = memoryStore({ clock })
      await store.set('a', { ...record({ n: 1, keep: 'x' }, HOUR, 'u1'), maxAge: 600 }, 3600)
      await store.touch('a', clock.now() + 2 * HOUR, 7200)
      expect(await store.get('a')).toEqual({ ...record({ n: 1, keep: 'x' }, 2 * HOUR, 'u1'), maxAge: 600 })
      expect(await store.patch('a', { set: { n: 2 }, unset: [], expiresAt: clock.now() + 3 * HOUR }, 10800)).toBe('ok')
      expect(await store.get('a')).toEqual({ ...record({ n: 2, keep: 'x' }, 3 * HOUR, 'u1'), maxAge: 600, version: 2 })
    })
  })

  describe('expiry and sweeping', () => {
    it('sweep() removes expired sessions that were never read again, and their index entries', async () => {
      const store = memoryStore({ clock })
      for (const id of ['x', 'y', 'z']) await store.set(id, record({}, 1000, 'user'), 1)
      await store.set('live', record(), 3600)
      clock.advance(2000)
      expect(store.size).toBe(4)
      expect(store.sweep()).toBe(3)
      expect(store.size).toBe(1)
      await store.set('x', record(), 3600)
      expect(await store.listByUser('user')).toEqual([])
    })

    it('sweeps a few entries on every new session, so expired sessions cannot pile up without a timer', async () => {
      const store = memoryStore({ clock })
      for (let i = 0; i < 100; i++) await store.set(`old-${i}`, record({}, 1000), 1)
      clock.advance(2000)
      for (let i = 0; i < 60; i++) await store.set(`new-${i}`, record(), 3600)
      expect(store.size).toBe(60)
    })

    it('runs the background sweep every sweepInterval seconds until stopped', async () => {
      vi.useFakeTimers()
      const store = memoryStore({ clock, sweepInterval: 60 })
      await store.set('a', record({}, 1000), 1)
      await store.set('b', record(), 3600)
      clock.advance(2000)
      vi.advanceTimersByTime(59_000)
      expect(store.size).toBe(2)
      vi.advanceTimersByTime(1000)
      expect(store.size).toBe(1)
      store.stop()
      await store.set('c', record({}, 1000), 1)
      clock.advance(2000)
      vi.advanceTimersByTime(600_000)
      expect(store.size).toBe(2)
    })

    it('never lets the sweep timer keep the process alive, and starts none by default', () => {
      const spy = vi.spyOn(globalThis, 'setInterval')
      memoryStore({ clock })
      expect(spy).not.toHaveBeenCalled()
      const store = memoryStore({ clock, sweepInterval: 1 })
      expect(spy).toHaveBeenCalledTimes(1)
      const timer = spy.mock.results[0]?.value as unknown as { hasRef(): boolean }
      expect(timer.hasRef()).toBe(false)
      store.stop()
    })

    it('expires a record at the earlier of its TTL and its expiresAt', async () => {
      const store = memoryStore({ clock })
      await store.set('ttl-first', record({}, HOUR), 1)
      await store.set('expiry-first', record({}, 1000), 3600)
      clock.advance(1001)
      expect(await store.get('ttl-first')).toBeNull()
      expect(await store.get('expiry-first')).toBeNull()
    })
  })

  it('stores JSON, as Redis would: dates become strings and undefined values vanish', async () => {
    const store = memoryStore({ clock })
    await store.set('a', record({ when: new Date(0), gone: undefined, list: [undefined] }), 3600)
    expect((await store.get('a'))?.data).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [null] })
    expect(Object.keys((await store.get('a'))?.data ?? {})).not.toContain('gone')
  })

  it('keeps a patched key named __proto__ as data', async () => {
    const store = memoryStore({ clock })
    await store.set('a', record(), 3600)
    await store.patch(
      'a',
      { set: JSON.parse('{"__proto__": {"polluted": true}}'), unset: [], expiresAt: clock.now() + HOUR },
      3600,
    )
    const data = (await store.get('a'))?.data ?? {}
    expect(Object.hasOwn(data, '__proto__')).toBe(true)
    expect((data as { polluted?: boolean }).polluted).toBeUndefined()
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })

  it('hands out a fresh copy of flat data on every read, and the new data once it is rewritten, patched or touched', async () => {
    const store = memoryStore({ clock })
    await store.set('a', record({ n: 1, name: 'x', flag: true, none: null }), 3600)
    const first = (await store.get('a'))?.data as Record<string, unknown>
    const second = (await store.get('a'))?.data as Record<string, unknown>
    expect(second).toEqual({ n: 1, name: 'x', flag: true, none: null })
    expect(second).not.toBe(first)
    first.n = 99
    second.added = true
    expect((await store.get('a'))?.data).toEqual({ n: 1, name: 'x', flag: true, none: null })
    await store.set('a', record({ n: 2 }), 3600)
    expect((await store.get('a'))?.data).toEqual({ n: 2 })
    await store.patch('a', { set: { n: 3 }, unset: [], expiresAt: clock.now() + HOUR }, 3600)
    expect((await store.get('a'))?.data).toEqual({ n: 3 })
    await store.touch!('a', clock.now() + 2 * HOUR, 7200)
    const touched = await store.getAndTouch!('a', {
      now: clock.now(),
      idleTimeout: 7200,
      absoluteTimeout: null,
      touchAfter: 0,
    })
    expect(touched?.session.data).toEqual({ n: 3 })
    // Nested data is parsed on every read: a nested object is never shared between two reads.
    await store.set('b', record({ cart: { items: [1] } }), 3600)
    const cart = (await store.get('b'))?.data.cart as { items: number[] }
    cart.items.push(2)
    expect((await store.get('b'))?.data).toEqual({ cart: { items: [1] } })
  })

  it('keeps patched flat data without parsing it again, reading back what its JSON would', async () => {
    const store = memoryStore({ clock })
    await store.set('a', record({ n: 1, name: 'x', flag: true }), 3600)
    await store.get('a')
    const parse = vi.spyOn(JSON, 'parse')
    const expiresAt = clock.now() + HOUR
    await store.patch('a', { set: { n: 2, added: null }, unset: ['name'], expiresAt }, 3600)
    const first = (await store.get('a'))?.data as Record<string, unknown>
    const second = (await store.get('a'))?.data as Record<string, unknown>
    expect(parse).not.toHaveBeenCalled()
    expect(first).toEqual({ n: 2, flag: true, added: null })
    expect(Object.keys(first)).toEqual(Object.keys(JSON.parse(JSON.stringify(first))))
    first.n = 99
    expect(second.n).toBe(2)
    // Values JSON changes (-0, NaN, Infinity) and objects are read back from the JSON, as before.
    await store.patch('a', { set: { zero: -0, nan: Number.NaN, inf: Infinity }, unset: [], expiresAt }, 3600)
    const odd = (await store.get('a'))?.data as Record<string, unknown>
    expect(Object.is(odd.zero, 0)).toBe(true)
    expect([odd.nan, odd.inf]).toEqual([null, null])
    const cart = { items: [1] }
    await store.patch('a', { set: { cart }, unset: [], expiresAt }, 3600)
    cart.items.push(2)
    expect((await store.get('a'))?.data.cart).toEqual({ items: [1] })
    expect(parse).toHaveBeenCalled()
  })

  it('reads a key named __proto__ as data on every read, not as a prototype', async () => {
    const store = memoryStore({ clock })
    await store.set('a', record(JSON.parse('{"__proto__": 1, "n": 1}')), 3600)
    for (let i = 0; i < 3; i++) {
      const data = (await store.get('a'))?.data ?? {}
      expect(Object.hasOwn(data, '__proto__')).toBe(true)
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype)
      expect(Object.keys(data)).toEqual(['__proto__', 'n'])
    }
  })

  it('rejects invalid options with OPTION_INVALID', () => {
    for (const options of [
      { max: 0 },
      { max: 1.5 },
      { max: Number.NaN },
      { sweepInterval: -1 },
      { sweepInterval: Infinity },
    ]) {
      expect(() => memoryStore(options)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }))
    }
  })

  it('backs a session manager end to end', async () => {
    const store = memoryStore({ clock })
    const manager = createSessionManager({ secret: 'a-secret-of-at-least-thirty-two-characters', store, clock })
    const first = await manager.load({ cookie: null })
    first.session.set('views' as never, 1 as never)
    const { setCookie } = await first.commit()
    const cookie = setCookie[0]?.split(';')[0] ?? ''
    expect(await store.count()).toBe(1)
    const second = await manager.load({ cookie })
    expect(second.session.get('views' as never)).toBe(1)
  })
})
