import { hashSessionId } from '@sess/core'
import { describe, expect } from 'vitest'
import type { StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

/** A hashed id means the same in every store: listed as `'#' + hashSessionId(id)`, and revocable as listed. */
export function hashedIdCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps } = ctx

  describe('hashed ids', () => {
    itWith(
      caps,
      ['users', 'hashIds'],
      'listByUser lists "#" + hashSessionId(id), which revokes that one session',
      async () => {
        const store = await ctx.open({ hashIds: true })
        const user = `user-${ctx.id()}`
        const [a, b] = [ctx.id(), ctx.id()]
        await ctx.put(store, a, ctx.record({ device: 'phone' }, { userId: user }))
        await ctx.put(store, b, ctx.record({ device: 'laptop' }, { userId: user }))
        expect((await store.get(a))?.data).toEqual({ device: 'phone' })
        const [listedA, listedB] = [`#${await hashSessionId(a)}`, `#${await hashSessionId(b)}`]

        const list = await store.listByUser!(user)
        expect(list.map((s) => s.id).sort()).toEqual([listedA, listedB].sort())
        expect(list.find((s) => s.id === listedA)?.session.data).toEqual({ device: 'phone' })
        // A listed id is for administration only: it never loads a session, as a cookie would.
        expect(await store.get(listedA)).toBeNull()
        expect(await store.get(listedA.slice(1))).toBeNull()

        await store.destroy(listedA)
        expect(await store.get(a)).toBeNull()
        expect((await store.get(b))?.data).toEqual({ device: 'laptop' })
        expect(await store.destroyByUser!(user, { except: listedB })).toBe(0)
        expect(await store.get(b)).not.toBeNull()
        expect(await store.destroyByUser!(user)).toBe(1)
        expect(await store.get(b)).toBeNull()
      },
    )
  })
}
