import { touchedExpiresAt } from '@sess/core'
import { describe, expect } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

/** getAndTouch: a read that refreshes the expiry by core's own rule (`touchedExpiresAt`) in one round trip. */
export function getAndTouchCases(ctx: StoreSuiteContext): void {
  const test = (title: string, fn: () => Promise<void>): void => itWith(ctx.capabilities, ['getAndTouch'], title, fn)

  describe('getAndTouch', () => {
    test('answers null for a missing or expired id', async () => {
      const store = await ctx.open()
      expect(await store.getAndTouch!(ctx.id(), ctx.policy())).toBeNull()
      const past = ctx.id()
      await ctx.put(store, past, ctx.record({}, { expiresAt: ctx.clock.now() - 1000 }), 60)
      expect(await store.getAndTouch!(past, ctx.policy())).toBeNull()
      expect(await store.get(past)).toBeNull()
    })

    test('returns the record untouched when the extension is below touchAfter', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const record = ctx.record({ a: [1] }, { expiresAt: ctx.clock.now() + 3000_000, userId: 'u', version: 4 })
      await ctx.put(store, id, record)
      const p = ctx.policy({ touchAfter: 3600 })
      expect(touchedExpiresAt(record, p)).toBeUndefined()
      expect(await store.getAndTouch!(id, p)).toEqual({ session: record, touched: false })
      expect(await store.get(id)).toEqual(record)
    })

    test('refreshes the expiry by core’s rule when due, keeping data and version', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      const record = ctx.record({ a: { b: 'c' } }, { expiresAt: ctx.clock.now() + 1000, version: 2, maxAge: null })
      await ctx.put(store, id, record, 1)
      const p = ctx.policy({ idleTimeout: 3, touchAfter: 1 })
      const expected = touchedExpiresAt(record, p)
      expect(expected).toBe(p.now + 3000)
      expect(await store.getAndTouch!(id, p)).toEqual({ session: { ...record, expiresAt: expected }, touched: true })
      await ctx.clock.advance(1000 + ctx.slackMs)
      expect(await store.get(id)).toEqual({ ...record, expiresAt: expected })
    })

    test('uses the session’s own maxAge and caps at the absolute timeout', async () => {
      const store = await ctx.open()
      const [own, capped] = [ctx.id(), ctx.id()]
      const now = ctx.clock.now()
      await ctx.put(store, own, ctx.record({}, { maxAge: 7200, expiresAt: now + 60_000 }))
      await ctx.put(store, capped, ctx.record({}, { createdAt: now - 500_000, expiresAt: now + 60_000 }))
      const p = ctx.policy({ idleTimeout: 600 })
      expect((await store.getAndTouch!(own, p))?.session.expiresAt).toBe(p.now + 7200_000)
      const q = ctx.policy({ idleTimeout: 600, absoluteTimeout: 1000 })
      expect((await store.getAndTouch!(capped, q))?.session.expiresAt).toBe(now - 500_000 + 1000_000)
      expect((await store.get(own))?.expiresAt).toBe(p.now + 7200_000)
      expect((await store.get(capped))?.expiresAt).toBe(now - 500_000 + 1000_000)
    })

    test('returns a copy', async () => {
      const store = await ctx.open()
      const id = ctx.id()
      await ctx.put(store, id, ctx.record({ list: [1] }))
      const got = await store.getAndTouch!(id, ctx.policy())
      ;(got!.session.data.list as number[]).push(2)
      expect((await store.get(id))?.data).toEqual({ list: [1] })
    })
  })
}
