import { describe, expect, it } from 'vitest'
import { isSessionError } from '../errors.js'
import { resolveCommonStoreOptions } from './store-options.js'

const codeAndMessage = (fn: () => unknown): { code: unknown; message: string } => {
  try {
    fn()
  } catch (e) {
    expect(isSessionError(e)).toBe(true)
    return { code: (e as { code: unknown }).code, message: (e as Error).message }
  }
  throw new Error('expected a throw')
}

describe('resolveCommonStoreOptions', () => {
  it('applies the defaults', () => {
    const r = resolveCommonStoreOptions({}, 'store-x')
    expect(r).toMatchObject({ probability: 0.05, limit: 100, hashIds: false, deviceMetadata: false })
    expect(typeof r.clock.now()).toBe('number')
  })
  it('keeps what is given; sweep: false never sweeps', () => {
    const clock = { now: (): number => 5 }
    const r = resolveCommonStoreOptions({ sweep: false, clock, hashIds: true, deviceMetadata: true }, 'store-x')
    expect(r).toEqual({ probability: 0, limit: 1, clock, hashIds: true, deviceMetadata: true })
    expect(resolveCommonStoreOptions({ sweep: { probability: 1, limit: 7 } }, 's')).toMatchObject({
      probability: 1,
      limit: 7,
    })
  })
  it('rejects bad values with OPTION_INVALID naming the store', () => {
    const bad = [
      { sweep: { probability: 2 } },
      { sweep: { probability: Number.NaN } },
      { sweep: { limit: 0 } },
      { sweep: { limit: 1.5 } },
      { clock: {} as never },
    ]
    for (const options of bad) {
      const { code, message } = codeAndMessage(() => resolveCommonStoreOptions(options, 'store-x'))
      expect(code).toBe('OPTION_INVALID')
      expect(message).toMatch(/^\[sess\] \[store-x\] (sweep|clock)/)
    }
  })
})
