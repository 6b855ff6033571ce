import { describe, expect, it } from 'vitest'
import { isSessionError } from '../errors.js'
import { assertSerializable } from './serializable.js'

const code = (value: unknown): string | undefined => {
  try {
    assertSerializable('k', value)
    return undefined
  } catch (error) {
    return isSessionError(error) ? error.code : 'raw'
  }
}

describe('assertSerializable (the one rule for session data)', () => {
  it('accepts what JSON gives back unchanged', () => {
    const shared = { a: 1 }
    for (const value of ['s', 0, -1.5, true, null, [1, 'a', null], { a: { b: [] } }, [shared, shared], new Date(0)]) {
      expect(code(value)).toBeUndefined()
    }
    expect(code({ a: undefined, b: 1 })).toBeUndefined()
    expect(code(Object.assign(Object.create(null), { a: 1 }))).toBeUndefined()
  })
  it('rejects what JSON would change or drop, with DATA_NOT_SERIALIZABLE', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    const values: unknown[] = [
      new Map([[1, 2]]),
      new Set([1]),
      /x/,
      new Error('e'),
      () => 1,
      Symbol('s'),
      1n,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [1, undefined],
      // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
      [1, , 2],
      { nested: { deep: [new Map()] } },
      { f: () => 1 },
      cycle,
      new (class Point {})(),
    ]
    for (const value of values) expect(code(value)).toBe('DATA_NOT_SERIALIZABLE')
  })
  it('names the key and the kind of value, never the value itself', () => {
    expect(() => assertSerializable('cart', { items: new Set(['secret-item']) })).toThrow(/"cart" holds a Set instance/)
    expect(() => assertSerializable('cart', { items: new Set(['secret-item']) })).not.toThrow(/secret-item/)
  })
})
