import { describe, expect, it } from 'vitest'
import { escapeKey, fromStored, toStored, unescapeKey } from './keys.js'

const TRICKY = [
  '',
  '%',
  '%%',
  '%25',
  '%2E',
  '%2e',
  '.',
  'a.b.c',
  '.leading',
  'trailing.',
  '$',
  '$set',
  '$$',
  'a$',
  'price$usd',
  '\0',
  'nul\0inside',
  '_bsontype',
  '__bsontype',
  '_bsontypes',
  '__proto__',
  'constructor',
  'ключ 🔑',
  'plain',
]

/** What MongoDB accepts as a field name in a document and in an update path segment. */
const mongoSafe = (field: string): boolean =>
  field !== '' && !field.startsWith('$') && !field.includes('.') && !field.includes('\0') && field !== '_bsontype'

describe('escapeKey / unescapeKey', () => {
  it('escapes exactly the keys MongoDB cannot hold, and `%` so the mapping reverses', () => {
    expect(TRICKY.map((key) => [key, escapeKey(key)])).toEqual([
      ['', '%'],
      ['%', '%25'],
      ['%%', '%25%25'],
      ['%25', '%2525'],
      ['%2E', '%252E'],
      ['%2e', '%252e'],
      ['.', '%2E'],
      ['a.b.c', 'a%2Eb%2Ec'],
      ['.leading', '%2Eleading'],
      ['trailing.', 'trailing%2E'],
      ['$', '%24'],
      ['$set', '%24set'],
      ['$$', '%24$'],
      ['a$', 'a$'],
      ['price$usd', 'price$usd'],
      ['\0', '%00'],
      ['nul\0inside', 'nul%00inside'],
      ['_bsontype', '%5Fbsontype'],
      ['__bsontype', '__bsontype'],
      ['_bsontypes', '_bsontypes'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['ключ 🔑', 'ключ 🔑'],
      ['plain', 'plain'],
    ])
  })

  it('round-trips every key and never maps two keys to one field', () => {
    const seen = new Map<string, string>()
    // Every string of up to 4 characters over an alphabet of the special cases, plus the tricky list.
    const alphabet = ['%', '.', '$', '\0', '2', 'E', '_', 'a']
    const keys = [...TRICKY]
    const grow = (prefix: string): void => {
      keys.push(prefix)
      if (prefix.length < 4) for (const c of alphabet) grow(prefix + c)
    }
    grow('')
    for (const key of keys) {
      const field = escapeKey(key)
      expect(mongoSafe(field), JSON.stringify(key)).toBe(true)
      expect(unescapeKey(field)).toBe(key)
      const other = seen.get(field)
      if (other !== undefined) expect(other).toBe(key)
      seen.set(field, key)
    }
  })

  it('leaves malformed escapes of a hand-edited document as they are', () => {
    expect(unescapeKey('%zz')).toBe('%zz')
    expect(unescapeKey('100%')).toBe('100%')
    expect(unescapeKey('%2')).toBe('%2')
  })
})

describe('toStored / fromStored', () => {
  const jsonRoundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

  it('escapes keys at every depth, inside arrays too, and reverses on read', () => {
    const value = { 'a.b': { $c: [{ 'd.e': 1, ok: 2 }, 'x.y', null], '': '' }, plain: { n: 1 } }
    const stored = toStored(value)
    expect(stored).toEqual({ 'a%2Eb': { '%24c': [{ 'd%2Ee': 1, ok: 2 }, 'x.y', null], '%': '' }, plain: { n: 1 } })
    expect(fromStored(structuredClone(stored))).toEqual(value)
  })

  it('shares subtrees that need no change and never mutates its input', () => {
    const plain = { list: [1, { a: 2 }], nested: { b: 'c' } }
    const input = { plain, 'needs.escape': { x: 1 } }
    const before = structuredClone(input)
    const stored = toStored(input) as Record<string, unknown>
    expect(stored).not.toBe(input)
    expect(stored.plain).toBe(plain)
    expect(input).toEqual(before)
    expect(toStored(plain)).toBe(plain)
  })

  it('stores what JSON would: toJSON, dropped undefined and functions, null for non-finite numbers', () => {
    const value = {
      date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      missing: undefined,
      fn: () => 1,
      list: [undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY, 1.5],
      nan: Number.NaN,
      map: new Map([['k', 'v']]),
      bytes: new Uint8Array([1, 2]),
      custom: { toJSON: () => ({ 'a.b': 'from toJSON' }) },
    }
    expect(toStored(value)).toEqual({
      date: '2024-01-02T03:04:05.000Z',
      list: [null, null, null, null, 1.5],
      nan: null,
      map: {},
      bytes: { 0: 1, 1: 2 },
      custom: { 'a%2Eb': 'from toJSON' },
    })
    expect(fromStored(toStored(value))).toEqual(jsonRoundTrip(value))
  })

  it('keeps an own __proto__ key as data, without touching any prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a.b": {"__proto__": {"x": 1}}}')
    const back = fromStored(structuredClone(toStored(value))) as Record<string, unknown>
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.hasOwn(back, '__proto__')).toBe(true)
    expect(JSON.stringify(back)).toBe(JSON.stringify(value))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('leaves non-plain values of a hand-edited document alone on read', () => {
    const date = new Date(0)
    const bytes = new Uint8Array([1])
    expect(fromStored({ date, bytes })).toEqual({ date, bytes })
  })
})
