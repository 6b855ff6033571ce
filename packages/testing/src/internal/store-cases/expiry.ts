import { describe, expect, it } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

/** TTLs and expiresAt: a store never returns a record past its expiry. */
export function expiryCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps, clock } = ctx
  const seconds = (n: number): number => clock.now() + n * 1000

  describe('expiry', () => {
    it('forgets a record once its TTL has passed', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1 }, { expiresAt: seconds(1) }), 1)
      expect(await store.get(id)).not.toBeNull()
      await clock.advance(1000 + ctx.slackMs)
      expect(await store.get(id)).toBeNull()
    })

    it('never returns a record whose expiresAt has passed, whatever the TTL', async () => {
      const store = await ctx.open()
      const past = ctx.id()
      await ctx.put(store, past, ctx.record({ a: 1 }, { expiresAt: clock.now() - 1000 }), 60)
      expect(await store.get(past)).toBeNull()

      const soon = ctx.id()
      await ctx.put(store, soon, ctx.record({ a: 1 }, { expiresAt: seconds(1) }), 60)
      expect(await store.get(soon)).not.toBeNull()
      await clock.advance(1000 + ctx.slackMs)
      expect(await store.get(soon)).toBeNull()
    })

    itWith(caps, ['touch'], 'touch extends the expiry without changing the data', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const record = ctx.record({ keep: ['me'] }, { expiresAt: seconds(1), userId: 'u' })
      await ctx.put(store, id, record, 1)
      const extended = seconds(3)
      await store.touch!(id, extended, 3)
      await clock.advance(1000 + ctx.slackMs)
      expect(await store.get(id)).toEqual({ ...record, expiresAt: extended })
      await clock.advance(2000)
      expect(await store.get(id)).toBeNull()
    })

    itWith(caps, ['touch'], 'touch on a missing or expired id creates nothing', async () => {
      const store = await ctx.open()
      const missing = ctx.id()
      await store.touch!(missing, seconds(60), 60)
      expect(await store.get(missing)).toBeNull()

      const expired = ctx.id()
      await ctx.put(store, expired, ctx.record({ a: 1 }, { expiresAt: seconds(1) }), 1)
      await clock.advance(1000 + ctx.slackMs)
      await store.touch!(expired, seconds(60), 60)
      expect(await store.get(expired)).toBeNull()
    })

    itWith(caps, ['patch'], 'patch moves the expiry to the patch’s expiresAt', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1 }, { expiresAt: seconds(1) }), 1)
      const extended = seconds(3)
      expect(await store.patch!(id, { set: { b: 2 }, unset: [], expiresAt: extended }, 3)).toBe('ok')
      await clock.advance(1000 + ctx.slackMs)
      const got = await store.get(id)
      expect(got?.data).toEqual({ a: 1, b: 2 })
      expect(got?.expiresAt).toBe(extended)
    })

    itWith(caps, ['patch'], 'patch on an expired record answers missing and creates nothing', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ a: 1 }, { expiresAt: seconds(1) }), 1)
      await clock.advance(1000 + ctx.slackMs)
      expect(await store.patch!(id, { set: { b: 2 }, unset: [], expiresAt: seconds(60) }, 60)).toBe('missing')
      expect(await store.get(id)).toBeNull()
    })
  })
}
