import { describe, expect, it } from 'vitest'
import { setOwn } from './safe-key.js'

describe('setOwn', () => {
  it('keeps a __proto__ key as an own data property, never the prototype', () => {
    const obj: Record<string, unknown> = {}
    setOwn(obj, '__proto__', { admin: true })
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype)
    expect((obj as { admin?: unknown }).admin).toBeUndefined()
    expect(Object.keys(obj)).toEqual(['__proto__'])
    expect(JSON.stringify(obj)).toBe('{"__proto__":{"admin":true}}')
  })
  it('assigns other keys, replacing an existing value', () => {
    const obj: Record<string, unknown> = { a: 1 }
    setOwn(obj, 'a', 2)
    setOwn(obj, 'constructor', 'x')
    expect(obj).toEqual({ a: 2, constructor: 'x' })
  })
})
