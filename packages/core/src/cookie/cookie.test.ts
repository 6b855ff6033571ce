import { describe, expect, it } from 'vitest'
import { getCookieValues, MAX_COOKIE_CANDIDATES } from './parse.js'
import { cookieSerializer, serializeCookie } from './serialize.js'

describe('getCookieValues', () => {
  it('finds a cookie among others, trimming spaces', () => {
    expect(getCookieValues('a=1; sid=abc ;b=2', 'sid')).toEqual(['abc'])
  })
  it('returns every duplicate in header order', () => {
    expect(getCookieValues('sid=one; other=x; sid=two', 'sid')).toEqual(['one', 'two'])
  })
  it('does not match names that only contain the name', () => {
    expect(getCookieValues('xsid=1; sidx=2; s id=3', 'sid')).toEqual([])
  })
  it('percent-decodes and unquotes values', () => {
    expect(getCookieValues('connect.sid=s%3Aapple.D8Y%2Bpk%2F', 'connect.sid')).toEqual(['s:apple.D8Y+pk/'])
    expect(getCookieValues('sid="quoted"', 'sid')).toEqual(['quoted'])
  })
  it('skips undecodable values and malformed pairs instead of throwing', () => {
    expect(getCookieValues('sid=%E0%A4%A; sid; =; ;;; sid=ok', 'sid')).toEqual(['ok'])
  })
  it('keeps values containing "="', () => {
    expect(getCookieValues('sid=a=b', 'sid')).toEqual(['a=b'])
  })
  it('handles empty and missing headers', () => {
    expect(getCookieValues('', 'sid')).toEqual([])
    expect(getCookieValues(undefined, 'sid')).toEqual([])
    expect(getCookieValues(null, 'sid')).toEqual([])
  })
  it('trims spaces and tabs around names and values, as the cookie package does', () => {
    expect(getCookieValues('a=1;\t sid \t= \tv1\t ;sid=v2', 'sid')).toEqual(['v1', 'v2'])
  })
  it('skips runs of segments without "=" and still finds the pairs after them', () => {
    expect(getCookieValues(';;;junk;;sid=one;;;x;y;sid=two;;', 'sid')).toEqual(['one', 'two'])
  })
  // Issue 17.1: every segment without "=" re-scanned the rest of the header for one (quadratic). Counted in
  // characters scanned by indexOf/lastIndexOf, not timed.
  it('scans a header of only ";" in linear work', () => {
    for (const header of [';'.repeat(20_000), `${';'.repeat(20_000)}sid=x`, `${'a;'.repeat(10_000)}=`]) {
      const counted = countingString(header)
      getCookieValues(counted.value, 'sid')
      expect(counted.scanned()).toBeLessThanOrEqual(4 * header.length)
    }
  })
  it('bounds the number of candidates', () => {
    const header = Array.from({ length: 1000 }, (_, i) => `sid=${i}`).join('; ')
    expect(getCookieValues(header, 'sid')).toHaveLength(MAX_COOKIE_CANDIDATES)
  })
})

/** A string whose indexOf/lastIndexOf count the characters they pass over. */
function countingString(text: string): { value: string; scanned(): number } {
  let scanned = 0
  class Counting extends String {
    override indexOf(search: string, from = 0): number {
      const at = super.indexOf(search, from)
      scanned += (at === -1 ? this.length : at) - from
      return at
    }
    override lastIndexOf(search: string, from = this.length): number {
      const at = super.lastIndexOf(search, from)
      scanned += from - at
      return at
    }
  }
  return { value: new Counting(text) as unknown as string, scanned: () => scanned }
}

describe('serializeCookie', () => {
  const base = { path: '/', httpOnly: true, secure: false, partitioned: false }
  it('writes attributes in the cookie package order, value URI-encoded', () => {
    expect(
      serializeCookie('connect.sid', 's:apple.D8Y+pk/', {
        ...base,
        maxAge: 60,
        expiresAtMs: Date.UTC(2026, 0, 1),
        domain: 'example.com',
        secure: true,
        partitioned: true,
        priority: 'high',
        sameSite: 'lax',
      }),
    ).toBe(
      'connect.sid=s%3Aapple.D8Y%2Bpk%2F; Max-Age=60; Domain=example.com; Path=/; Expires=Thu, 01 Jan 2026 00:00:00 GMT; HttpOnly; Secure; Partitioned; Priority=High; SameSite=Lax',
    )
  })
  it('encodes the value exactly as encodeURIComponent does, for every ASCII character and beyond', () => {
    const values = [...Array.from({ length: 128 }, (_, i) => `a${String.fromCharCode(i)}b`), 'é', '€', '😀', 's:id.sig']
    for (const value of values) {
      expect(serializeCookie('n', value, { ...base, httpOnly: false })).toBe(`n=${encodeURIComponent(value)}; Path=/`)
    }
  })
  it('omits what is off', () => {
    expect(serializeCookie('sid', 'v', { ...base, httpOnly: false })).toBe('sid=v; Path=/')
  })
  it('floors Max-Age and never writes a negative one', () => {
    expect(serializeCookie('sid', 'v', { ...base, maxAge: 9.9 })).toContain('Max-Age=9;')
    expect(serializeCookie('sid', 'v', { ...base, maxAge: -5 })).toContain('Max-Age=0;')
  })
})

describe('cookieSerializer', () => {
  const attrs = { path: '/app', domain: 'example.com', httpOnly: true, secure: true, partitioned: false } as const
  it('gives what serializeCookie gives, for any value and lifetime', () => {
    const serialize = cookieSerializer('sid', { ...attrs, sameSite: 'strict', priority: 'low' })
    const values = ['s:abc-_.sig', 'a b;c', 'é%', '', "!~*'()"]
    const lifetimes = [undefined, { maxAge: 10.5, expiresAtMs: Date.UTC(2030, 5, 1, 12, 0, 0, 999) }, { maxAge: 0 }]
    for (const value of values) {
      for (const lifetime of lifetimes) {
        expect(serialize(value, lifetime)).toBe(
          serializeCookie('sid', value, { ...attrs, sameSite: 'strict', priority: 'low', ...lifetime }),
        )
      }
    }
    expect(serialize('a b', undefined)).toBe(
      'sid=a%20b; Domain=example.com; Path=/app; HttpOnly; Secure; Priority=Low; SameSite=Strict',
    )
  })
  it('writes the right Expires whichever seconds come in turn (the per-second cache)', () => {
    const serialize = cookieSerializer('sid', attrs)
    const times = [
      Date.UTC(2030, 0, 1),
      Date.UTC(2030, 0, 1, 0, 0, 0, 999),
      Date.UTC(2030, 0, 1, 0, 0, 1),
      Date.UTC(2030, 0, 1),
      -1,
      0,
    ]
    for (const ms of times) {
      expect(serialize('v', { expiresAtMs: ms })).toContain(`; Expires=${new Date(ms).toUTCString()};`)
    }
  })
})
