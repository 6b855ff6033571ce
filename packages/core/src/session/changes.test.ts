import { describe, expect, it } from 'vitest'
import { samePrimitive } from './changes.js'

describe('samePrimitive()', () => {
  it('is true only when the key already holds this same primitive', () => {
    const data: Record<string, unknown> = { n: 1, s: 'a', z: null, f: false, nan: Number.NaN, o: { a: 1 } }
    expect(samePrimitive(data, 'n', 1)).toBe(true)
    expect(samePrimitive(data, 's', 'a')).toBe(true)
    expect(samePrimitive(data, 'z', null)).toBe(true)
    expect(samePrimitive(data, 'f', false)).toBe(true)
    expect(samePrimitive(data, 'nan', Number.NaN)).toBe(true)
    expect(samePrimitive(data, 'n', 2)).toBe(false)
    expect(samePrimitive(data, 'n', '1')).toBe(false)
    expect(samePrimitive(data, 'missing', undefined)).toBe(false)
    expect(samePrimitive(data, 'missing', null)).toBe(false)
    // An object is never "the same": a nested change may hide in it (the snapshot decides at commit).
    expect(samePrimitive(data, 'o', data.o)).toBe(false)
    // Inherited names are not held keys.
    expect(samePrimitive(data, 'toString', Object.prototype.toString)).toBe(false)
  })
})
