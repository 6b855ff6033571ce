import type { Store } from '@sess/core'
import { describe, expect } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

/** The per-user index: listByUser / destroyByUser ("log out everywhere"). */
export function userCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps } = ctx
  const test = (title: string, fn: () => Promise<void>): void => itWith(caps, ['users'], title, fn)
  const listed = async (store: Store, userId: string): Promise<string[]> =>
    (await store.listByUser!(userId)).map((s) => s.id).sort()
  const sorted = (...ids: string[]): string[] => ids.sort()

  /** Two sessions of user A, one of user B, one unbound. */
  const seed = async (store: Store) => {
    const [a1, a2, b1, free] = [ctx.id(), ctx.id(), ctx.id(), ctx.id()]
    const userA = `user-a-${ctx.id()}`
    const userB = `user-b-${ctx.id()}`
    await ctx.put(store, a1, ctx.record({ device: 'phone' }, { userId: userA }))
    await ctx.put(store, a2, ctx.record({ device: 'laptop' }, { userId: userA }))
    await ctx.put(store, b1, ctx.record({ device: 'tablet' }, { userId: userB }))
    await ctx.put(store, free, ctx.record({ device: 'kiosk' }))
    return { a1, a2, b1, free, userA, userB }
  }

  describe('per-user index', () => {
    test('listByUser returns exactly that user’s sessions, with their records', async () => {
      const store = await ctx.open()
      const { a1, a2, b1, userA, userB } = await seed(store)
      const list = await store.listByUser!(userA)
      expect(list.map((s) => s.id).sort()).toEqual(sorted(a1, a2))
      const phone = list.find((s) => s.id === a1)
      expect(phone?.session).toEqual(await store.get(a1))
      expect(phone?.session).toMatchObject({ userId: userA, data: { device: 'phone' } })
      expect(await listed(store, userB)).toEqual([b1])
      expect(await store.listByUser!(`nobody-${ctx.id()}`)).toEqual([])
    })

    test('destroyByUser removes all of a user’s sessions and resolves to how many', async () => {
      const store = await ctx.open()
      const { a1, a2, b1, free, userA, userB } = await seed(store)
      expect(await store.destroyByUser!(userA)).toBe(2)
      expect(await store.get(a1)).toBeNull()
      expect(await store.get(a2)).toBeNull()
      expect(await listed(store, userA)).toEqual([])
      expect(await store.get(b1)).not.toBeNull()
      expect(await store.get(free)).not.toBeNull()
      expect(await listed(store, userB)).toEqual([b1])
      expect(await store.destroyByUser!(userA)).toBe(0)
      expect(await store.destroyByUser!(`nobody-${ctx.id()}`)).toBe(0)
    })

    test('destroyByUser keeps the session named by except', async () => {
      const store = await ctx.open()
      const { a1, a2, userA } = await seed(store)
      expect(await store.destroyByUser!(userA, { except: a2 })).toBe(1)
      expect(await store.get(a1)).toBeNull()
      expect(await store.get(a2)).not.toBeNull()
      expect(await listed(store, userA)).toEqual([a2])
    })

    test('a set that changes or drops the userId moves the session between lists', async () => {
      const store = await ctx.open()
      const { a1, a2, b1, userA, userB } = await seed(store)
      await ctx.put(store, a1, ctx.record({ device: 'phone' }, { userId: userB }))
      expect(await listed(store, userA)).toEqual([a2])
      expect(await listed(store, userB)).toEqual(sorted(a1, b1))
      await ctx.put(store, a2, ctx.record({ device: 'laptop' }))
      expect(await listed(store, userA)).toEqual([])
      expect(await store.destroyByUser!(userA)).toBe(0)
      expect(await store.get(a2)).not.toBeNull()
    })

    itWith(caps, ['users', 'patch'], 'a patch that changes or clears the userId moves the session', async () => {
      const store = await ctx.open()
      const { a1, a2, b1, free, userA, userB } = await seed(store)
      const expiresAt = ctx.clock.now() + 3600_000
      await store.patch!(a1, { set: {}, unset: [], expiresAt, userId: userB }, 3600)
      await store.patch!(free, { set: {}, unset: [], expiresAt, userId: userA }, 3600)
      expect(await listed(store, userA)).toEqual(sorted(a2, free))
      expect(await listed(store, userB)).toEqual(sorted(a1, b1))
      await store.patch!(a2, { set: {}, unset: [], expiresAt, userId: null }, 3600)
      expect(await listed(store, userA)).toEqual([free])
      await store.patch!(b1, { set: { unrelated: true }, unset: [], expiresAt }, 3600)
      expect(await listed(store, userB)).toEqual(sorted(a1, b1))
    })

    test('destroyed sessions disappear from the list', async () => {
      const store = await ctx.open()
      const { a1, a2, userA } = await seed(store)
      await store.destroy(a1)
      expect(await listed(store, userA)).toEqual([a2])
      await store.destroy(a2)
      expect(await listed(store, userA)).toEqual([])
    })

    test('expired sessions are not listed', async () => {
      const store = await ctx.open()
      const user = `user-${ctx.id()}`
      const [short, long] = [ctx.id(), ctx.id()]
      await ctx.put(store, short, ctx.record({}, { userId: user, expiresAt: ctx.clock.now() + 1000 }), 1)
      await ctx.put(store, long, ctx.record({}, { userId: user }))
      await ctx.clock.advance(1000 + ctx.slackMs)
      expect(await listed(store, user)).toEqual([long])
      expect(await store.destroyByUser!(user)).toBe(1)
    })
  })
}
