import { describe, expect, it } from 'vitest'
import { fakeClock } from '../../fake-clock.js'
import type { StoreSuiteContext } from '../../store-suite.js'

/** Every store takes a clock, and by that clock never serves, extends, lists or counts a record past its expiresAt. */
export function clockCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps } = ctx

  describe('clock option', () => {
    it('never serves, revives, lists or counts a record past expiresAt by its clock, whatever the TTL', async () => {
      const clock = fakeClock(ctx.clock.now())
      const store = await ctx.open({ clock })
      const [id, bound] = [ctx.id(), ctx.id()]
      const user = `user-${ctx.id()}`
      const expiresAt = clock.now() + 60_000
      // A TTL well past expiresAt: only the store's clock can tell that the record has ended.
      await store.set(id, ctx.record({ a: 1 }, { expiresAt }), 3600)
      await store.set(bound, ctx.record({ b: 1 }, { expiresAt, userId: user }), 3600)
      expect((await store.get(id))?.data).toEqual({ a: 1 })
      if (caps.count) expect(await store.count!()).toBe(2)
      if (caps.users) expect((await store.listByUser!(user)).length).toBe(1)

      clock.advance(60_000)
      expect(await store.get(id)).toBeNull()
      if (caps.getAndTouch) {
        const policy = { now: clock.now(), idleTimeout: 3600, absoluteTimeout: null, touchAfter: 0 }
        expect(await store.getAndTouch!(id, policy)).toBeNull()
      }
      if (caps.patch) {
        expect(await store.patch!(id, { set: { c: 1 }, unset: [], expiresAt: clock.now() + 3600_000 }, 3600)).toBe(
          'missing',
        )
      }
      if (caps.touch) await store.touch!(id, clock.now() + 3600_000, 3600)
      expect(await store.get(id)).toBeNull()
      if (caps.count) expect(await store.count!()).toBe(0)
      if (caps.users) {
        expect(await store.listByUser!(user)).toEqual([])
        expect(await store.destroyByUser!(user)).toBe(0)
      }
    })
  })
}
