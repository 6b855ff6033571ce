import { describe, expect, it } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'

const METHODS = {
  getAndTouch: ['getAndTouch'],
  touch: ['touch'],
  patch: ['patch'],
  users: ['listByUser', 'destroyByUser'],
  clear: ['clear'],
  count: ['count'],
}

/** Every JSON type, with the edges an encoding could lose: empty string, float noise, tiny and big numbers, nesting. */
const EVERY_JSON_TYPE = {
  string: 'text',
  empty: '',
  int: 42,
  negative: -7,
  float: 0.1 + 0.2,
  tiny: 1e-7,
  big: Number.MAX_SAFE_INTEGER,
  zero: 0,
  yes: true,
  no: false,
  nothing: null,
  list: [1, 'two', { three: [3] }, [], null, false],
  nested: { a: { b: { c: { d: 'deep' } } }, emptyObject: {} },
}

/** Text an encoding could mangle: emoji sequences, CJK, right-to-left, combining marks, controls, quotes, a key. */
const UNICODE = {
  emoji: '👩‍👩‍👧‍👦 🎉 🇺🇦',
  cjk: '漢字かなカナ한국어',
  rtl: 'مرحبا بالعالم שלום',
  combining: 'e\u0301 n\u0303',
  control: 'tab\there\nnewline\u0000nul',
  quotes: `"double" 'single' \\backslash`,
  'ключ 🔑': 'значение',
}

/** get / set / destroy: the required contract. */
export function basicCases(ctx: StoreSuiteContext): void {
  describe('get / set / destroy', () => {
    it('declares exactly the capabilities it implements', async () => {
      const store = (await ctx.open()) as unknown as Record<string, unknown>
      for (const [cap, methods] of Object.entries(METHODS)) {
        for (const method of methods) {
          expect({ method, present: typeof store[method] === 'function' }).toEqual({
            method,
            present: ctx.capabilities[cap as keyof typeof METHODS],
          })
        }
      }
    })

    it('returns null for an id it never stored', async () => {
      const store = await ctx.open()
      expect(await store.get(ctx.id())).toBeNull()
    })

    it('round-trips every JSON type and the record fields', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const record = ctx.record(EVERY_JSON_TYPE, { version: 7, userId: 'user-1', maxAge: 600 })
      await ctx.put(store, id, record)
      const got = await store.get(id)
      expect(got).toEqual(record)
      expect(typeof got?.data.int).toBe('number')
      expect(got?.data.nothing).toBeNull()

      const browserSession = ctx.record({ a: 1 }, { maxAge: null })
      await ctx.put(store, id, browserSession)
      expect(await store.get(id)).toEqual(browserSession)
      expect((await store.get(id))?.maxAge).toBeNull()
    })

    it('round-trips unicode data and keys', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record(UNICODE))
      expect((await store.get(id))?.data).toEqual(UNICODE)
    })

    it('round-trips a large payload (about 1 MB)', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const blob = 'x'.repeat(1024 * 1024 - 3).concat('end')
      const list = Array.from({ length: 1000 }, (_, i) => ({ i, s: `item-${i}` }))
      await ctx.put(store, id, ctx.record({ blob, list }))
      const got = await store.get(id)
      expect(got?.data.blob).toHaveLength(1024 * 1024)
      expect(got?.data.blob).toBe(blob)
      expect(got?.data.list).toEqual(list)
    })

    it('replaces the whole record on overwrite', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1, b: 2 }, { userId: 'u' }))
      const second = ctx.record({ c: 3 }, { version: 2 })
      await ctx.put(store, id, second)
      const got = await store.get(id)
      expect(got).toEqual(second)
      expect(got?.data).not.toHaveProperty('a')
      expect(got?.userId).toBeUndefined()
    })

    it('keeps one whole record when two sets race (last writer wins)', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const a = ctx.record({ writer: 'a', onlyA: true })
      const b = ctx.record({ writer: 'b', onlyB: true })
      await Promise.all([ctx.put(store, id, a), ctx.put(store, id, b)])
      const got = await store.get(id)
      expect([a, b]).toContainEqual(got)
    })

    it('removes a record on destroy, and destroying again or a missing id does not throw', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const other = ctx.id()
      await ctx.put(store, id, ctx.record())
      await ctx.put(store, other, ctx.record({ other: true }))
      await store.destroy(id)
      expect(await store.get(id)).toBeNull()
      expect(await store.destroy(id)).toBeUndefined()
      expect(await store.destroy(ctx.id())).toBeUndefined()
      expect((await store.get(other))?.data).toEqual({ other: true })
    })

    it('returns copies: mutating a returned record or the record passed to set changes nothing stored', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const input = ctx.record({ count: 1, nested: { list: [1] } })
      await ctx.put(store, id, input)
      ;(input.data.nested as { list: number[] }).list.push(99)
      input.data.count = 100
      input.version = 100

      const first = await store.get(id)
      expect(first?.data).toEqual({ count: 1, nested: { list: [1] } })
      first!.data.count = 2
      ;(first!.data.nested as { list: number[] }).list.push(2)
      first!.data.added = true
      first!.version = 50

      const second = await store.get(id)
      expect(second?.data).toEqual({ count: 1, nested: { list: [1] } })
      expect(second?.version).toBe(1)
      expect(second).not.toBe(first)
    })
  })
}
