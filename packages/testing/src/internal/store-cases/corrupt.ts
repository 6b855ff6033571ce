import type { SessionPatch } from '@sess/core'
import { recordProblem } from '@sess/core'
import { describe, expect, it } from 'vitest'
import type { CorruptionKind, StoreSuiteContext } from '../../store-suite.js'
import { CORRUPTION_KINDS } from '../../store-suite.js'

/**
 * Corrupt records mean one thing in every store: `get` answers `invalidRecord(reason)` (the core reports
 * `record-invalid` and starts a fresh session), never `null` (a plain miss) and never a half-parsed record; no
 * operation extends, revives or counts them, and none throws.
 */
export function corruptCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps } = ctx
  const skip = ctx.corrupt === undefined
  const reason = '[skipped: the store only ever holds values it wrote itself, so none can be corrupt]'
  const test = (title: string, fn: () => Promise<void>, needs = true): void =>
    it.skipIf(skip || !needs)(skip ? `${title} ${reason}` : needs ? title : `${title} [skipped: capability absent]`, fn)
  const plant = async (kind: CorruptionKind, ttl = 3600) => {
    const store = await ctx.open()
    const id = ctx.id()
    await ctx.corrupt!(store, id, kind, ttl)
    return { store, id }
  }
  const invalid = (value: unknown): void => {
    expect(value).not.toBeNull()
    expect(recordProblem(value)).toEqual(expect.any(String))
  }
  const change = (): SessionPatch => ({ set: { patched: true }, unset: [], expiresAt: ctx.clock.now() + 3600_000 })

  describe('corrupt records', () => {
    for (const kind of CORRUPTION_KINDS) {
      test(`get reports a ${kind} record with invalidRecord(), not as a miss`, async () => {
        const { store, id } = await plant(kind)
        invalid(await store.get(id))
      })

      test(
        `getAndTouch reports a ${kind} record as invalid and never extends its expiry`,
        async () => {
          const { store, id } = await plant(kind, 1)
          const policy = { now: ctx.clock.now(), idleTimeout: 3600, absoluteTimeout: null, touchAfter: 0 }
          const got = await store.getAndTouch!(id, policy)
          expect(got?.touched).toBe(false)
          invalid(got?.session)
          await ctx.clock.advance(1000 + ctx.slackMs)
          expect(await store.get(id)).toBeNull()
        },
        caps.getAndTouch,
      )

      test(
        `patch on a ${kind} record never throws and never makes it readable`,
        async () => {
          const { store, id } = await plant(kind)
          const result = await store.patch!(id, change(), 3600)
          // Nothing to patch when the record's own fields are broken; a broken value elsewhere may take the patch.
          if (kind !== 'undecodable') expect(result).toBe('missing')
          else expect(['missing', 'ok']).toContain(result)
          const after = await store.get(id)
          if (after !== null) invalid(after)
        },
        caps.patch,
      )

      test(
        `touch on a ${kind} record never throws and never makes it readable`,
        async () => {
          const { store, id } = await plant(kind)
          await store.touch!(id, ctx.clock.now() + 7200_000, 7200)
          const after = await store.get(id)
          if (after !== null) invalid(after)
        },
        caps.touch,
      )
    }

    test(
      'count leaves out records that get cannot read',
      async () => {
        const store = await ctx.open()
        for (const kind of CORRUPTION_KINDS) await ctx.corrupt!(store, ctx.id(), kind, 3600)
        await ctx.put(store, ctx.id(), ctx.record())
        expect(await store.count!()).toBe(1)
      },
      caps.count,
    )
  })
}
