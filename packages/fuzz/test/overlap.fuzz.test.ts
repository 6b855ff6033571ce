import { createHmac } from 'node:crypto'
import type { Store } from '@sess/core'
import { createSessionManager, isSessionError } from '@sess/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzz, SEED } from './fuzz.js'
import { TARGETS, useTarget } from './stores.js'

// Overlapping requests on one session, their store calls started in an order fast-check's scheduler picks: on a
// store with `patch`, every acknowledged change survives (no lost update), a refused one (strict mode) leaves no
// trace, and nothing resurrects a destroyed session.

const SECRET = 'fuzz-secret-0123456789abcdef-0123456789'
const METHODS = ['get', 'getAndTouch', 'set', 'destroy', 'touch', 'patch'] as const
// Synchronous signing: Web Crypto settles on another thread, after the scheduler has already released the calls it
// holds, which would run the requests one after another instead of interleaving them.
const hmacSync = (secret: string, data: string): string =>
  createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')

/** The store, each call started only when the scheduler says so. */
function scheduled(store: Store, s: fc.Scheduler): Store {
  const wrapped: Record<string, unknown> = { ...store }
  const target = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
  for (const method of METHODS) {
    if (typeof target[method] !== 'function') continue
    wrapped[method] = (...args: unknown[]) =>
      s.schedule(Promise.resolve(), method).then(() => target[method]!.apply(store, args))
  }
  return wrapped as unknown as Store
}

interface Plan {
  /** Sets its own key `r<i>` to this value. */
  value: number
  /** Deletes its own base key `base<i>` too. */
  unsetBase: boolean
  /** Destroys the session instead. */
  destroy: boolean
}
const plan: fc.Arbitrary<Plan> = fc.record({
  value: fc.integer(),
  unsetBase: fc.boolean(),
  destroy: fc.constantFrom(false, false, false, false, true),
})

for (const { target, skip } of TARGETS) {
  const reason = skip ?? (target.name === 'unstorage' ? 'no patch: last writer wins by design' : undefined)
  describe.skipIf(reason !== undefined)(
    `${target.name}: overlapping requests (seed ${SEED})${reason ? ` [skipped: ${reason}]` : ''}`,
    () => {
      const opened = useTarget(target)

      it('keeps every acknowledged change and no refused one, and never resurrects a destroyed session', async () => {
        await fuzz(
          `${target.name} overlap`,
          fc.asyncProperty(
            fc.scheduler(),
            fc.array(plan, { minLength: 2, maxLength: 5 }),
            fc.boolean(),
            async (s, plans, strict) => {
              const { store } = opened()
              const setup = createSessionManager({ secret: SECRET, store, strict })
              const first = await setup.load({})
              for (let i = 0; i < plans.length; i++) first.session.set(`base${i}` as never, i as never)
              const cookie = (await first.commit()).setCookie[0]?.split(';')[0]

              const manager = createSessionManager({ secret: SECRET, store: scheduled(store, s), strict, hmacSync })
              const outcomes = plans.map(async (p, i) => {
                const handle = await manager.load({ cookie })
                if (p.destroy) await handle.session.destroy()
                else {
                  handle.session.set(`r${i}` as never, p.value as never)
                  if (p.unsetBase) handle.session.delete(`base${i}` as never)
                }
                await handle.commit()
              })
              const settled = await s.waitFor(Promise.allSettled(outcomes))

              const after = await setup.load({ cookie })
              const data = after.session.toJSON() as Record<string, unknown>
              const destroyed = plans.some((p, i) => p.destroy && settled[i]?.status === 'fulfilled')
              if (destroyed) expect(after.session.isNew).toBe(true)
              plans.forEach((p, i) => {
                const result = settled[i]!
                if (result.status === 'rejected') {
                  const error = result.reason as { code?: string }
                  expect(isSessionError(error), String(error)).toBe(true)
                  // Only strict mode may refuse a write, and only as a conflict.
                  expect(strict && error.code === 'SESSION_CONFLICT', String(error)).toBe(true)
                }
                if (destroyed || p.destroy) return
                if (result.status === 'fulfilled') {
                  expect(data[`r${i}`], `request ${i}'s key`).toBe(p.value)
                  expect(data[`base${i}`], `request ${i}'s unset`).toBe(p.unsetBase ? undefined : i)
                } else {
                  expect(data[`r${i}`], `refused request ${i}'s key`).toBeUndefined()
                  expect(data[`base${i}`], `refused request ${i}'s unset`).toBe(i)
                }
              })
            },
          ),
          40,
        )
      })
    },
  )
}
