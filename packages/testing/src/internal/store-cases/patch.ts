import type { SessionPatch } from '@sess/core'
import { describe, expect } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

/** patch: field-level change sets, version compare-and-set, never resurrecting a session. */
export function patchCases(ctx: StoreSuiteContext): void {
  const test = (title: string, fn: () => Promise<void>): void => itWith(ctx.capabilities, ['patch'], title, fn)
  const change = (fields: Partial<SessionPatch>): SessionPatch => ({
    set: {},
    unset: [],
    expiresAt: ctx.clock.now() + 3600_000,
    ...fields,
  })

  describe('patch', () => {
    test('sets and unsets top-level keys, leaving the others alone', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1, b: { x: 1, y: 2 }, c: 'keep', gone: [1] }))
      const result = await store.patch!(
        id,
        change({ set: { a: 2, b: { z: 3 }, d: [1, { e: null }] }, unset: ['gone', 'never'] }),
        3600,
      )
      expect(result).toBe('ok')
      expect((await store.get(id))?.data).toEqual({ a: 2, b: { z: 3 }, c: 'keep', d: [1, { e: null }] })
    })

    test('keeps both of two concurrent patches that change different keys', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ base: true, drop: 1 }, { version: 1 }))
      const results = await Promise.all([
        store.patch!(id, change({ set: { left: 'L' } }), 3600),
        store.patch!(id, change({ set: { right: 'R' }, unset: ['drop'] }), 3600),
      ])
      expect(results).toEqual(['ok', 'ok'])
      const got = await store.get(id)
      expect(got?.data).toEqual({ base: true, left: 'L', right: 'R' })
      expect(got?.version).toBe(3)
    })

    test('answers missing for an absent id and creates nothing', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      expect(await store.patch!(id, change({ set: { a: 1 }, userId: 'u' }), 3600)).toBe('missing')
      expect(await store.get(id)).toBeNull()
      await ctx.put(store, id, ctx.record())
      await store.destroy(id)
      expect(await store.patch!(id, change({ set: { a: 1 } }), 3600)).toBe('missing')
      expect(await store.get(id)).toBeNull()
    })

    test('increments the version on every patch', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({}, { version: 4 }))
      await store.patch!(id, change({ set: { a: 1 } }), 3600)
      expect((await store.get(id))?.version).toBe(5)
      await store.patch!(id, change({ unset: ['a'] }), 3600)
      expect((await store.get(id))?.version).toBe(6)
    })

    test('answers conflict on a stale expectedVersion and applies on the current one', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1 }, { version: 3 }))
      expect(await store.patch!(id, change({ set: { a: 'stale' }, expectedVersion: 2 }), 3600)).toBe('conflict')
      expect(await store.get(id)).toMatchObject({ data: { a: 1 }, version: 3 })
      expect(await store.patch!(id, change({ set: { a: 'fresh' }, expectedVersion: 3 }), 3600)).toBe('ok')
      expect(await store.get(id)).toMatchObject({ data: { a: 'fresh' }, version: 4 })
      expect(await store.patch!(id, change({ set: { a: 'late' }, expectedVersion: 3 }), 3600)).toBe('conflict')
      expect(await store.get(id)).toMatchObject({ data: { a: 'fresh' }, version: 4 })
    })

    test('sets and clears userId and maxAge, and leaves them alone when absent', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1 }))
      await store.patch!(id, change({ userId: 'user-a', maxAge: 3600 }), 3600)
      expect(await store.get(id)).toMatchObject({ userId: 'user-a', maxAge: 3600 })
      await store.patch!(id, change({ set: { b: 2 } }), 3600)
      expect(await store.get(id)).toMatchObject({ userId: 'user-a', maxAge: 3600, data: { a: 1, b: 2 } })
      await store.patch!(id, change({ userId: null, maxAge: null }), 3600)
      const got = await store.get(id)
      expect(got?.userId).toBeUndefined()
      expect(got?.maxAge).toBeNull()
    })

    test('stores copies of the values it is given', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({}))
      const cart = { items: ['a'] }
      await store.patch!(id, change({ set: { cart } }), 3600)
      cart.items.push('b')
      expect((await store.get(id))?.data).toEqual({ cart: { items: ['a'] } })
    })
  })
}
