import { describe, expect, it } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

/** clear, count, and isolation between stores. */
export function adminCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps } = ctx

  describe('clear / count / isolation', () => {
    itWith(caps, ['clear'], 'clear removes every record', async () => {
      const store = await ctx.open()
      const ids = [ctx.id(), ctx.id(), ctx.id()]
      for (const id of ids) await ctx.put(store, id, ctx.record({}, { userId: 'u' }))
      await store.clear!()
      for (const id of ids) expect(await store.get(id)).toBeNull()
      if (caps.count) expect(await store.count!()).toBe(0)
      // Reusing an id without a user: a user index that outlived clear() would list it again.
      await ctx.put(store, ids[0]!, ctx.record({ again: true }))
      expect((await store.get(ids[0]!))?.data).toEqual({ again: true })
      if (caps.users) expect(await store.listByUser!('u')).toEqual([])
    })

    itWith(caps, ['count'], 'count counts live sessions', async () => {
      const store = await ctx.open()
      expect(await store.count!()).toBe(0)
      const [a, b, c] = [ctx.id(), ctx.id(), ctx.id()]
      for (const id of [a, b, c]) await ctx.put(store, id, ctx.record())
      expect(await store.count!()).toBe(3)
      await ctx.put(store, a, ctx.record({ overwritten: true }))
      expect(await store.count!()).toBe(3)
      await store.destroy(b)
      expect(await store.count!()).toBe(2)
    })

    itWith(caps, ['count'], 'count leaves out expired sessions', async () => {
      const store = await ctx.open()
      await ctx.put(store, ctx.id(), ctx.record({}, { expiresAt: ctx.clock.now() + 1000 }), 1)
      await ctx.put(store, ctx.id(), ctx.record())
      expect(await store.count!()).toBe(2)
      await ctx.clock.advance(1000 + ctx.slackMs)
      expect(await store.count!()).toBe(1)
    })

    it('keeps two stores from the factory isolated', async () => {
      const [one, two] = [await ctx.open(), await ctx.open()]
      const id = ctx.id()
      await ctx.put(one, id, ctx.record({ owner: 'one' }, { userId: 'shared-user' }))
      expect(await two.get(id)).toBeNull()
      await ctx.put(two, id, ctx.record({ owner: 'two' }, { userId: 'shared-user' }))
      expect((await one.get(id))?.data).toEqual({ owner: 'one' })
      await two.destroy(id)
      expect((await one.get(id))?.data).toEqual({ owner: 'one' })
      await ctx.put(two, ctx.id(), ctx.record({ owner: 'two' }, { userId: 'shared-user' }))
      if (caps.users) {
        expect((await one.listByUser!('shared-user')).map((s) => s.id)).toEqual([id])
        expect(await two.destroyByUser!('shared-user')).toBe(1)
        expect(await one.get(id)).not.toBeNull()
      }
      if (caps.count) expect(await one.count!()).toBe(1)
      if (caps.clear) {
        await two.clear!()
        expect(await one.get(id)).not.toBeNull()
      }
    })
  })
}
