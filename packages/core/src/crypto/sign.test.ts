import { createHmac } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { constantTimeEqual } from './constant-time.js'
import { encodeBase64NoPad, encodeBase64Url } from './encoding.js'
import { generateSessionId } from './random.js'
import { CookieSigner, VERIFIED_CACHE_SIZE } from './sign.js'

const SECRET = 'keyboard cat'
const GOOD = 's:apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU'

describe('CookieSigner.verify', () => {
  const signer = new CookieSigner([SECRET], 's:')
  const bad = {
    'a flipped signature character': GOOD.replace('D8Y', 'D9Y'),
    'a truncated signature': GOOD.slice(0, -1),
    'padding appended': `${GOOD}=`,
    'a different id under the same signature': GOOD.replace('apple', 'apples'),
    'no prefix': GOOD.slice(2),
    'no dot': 's:appleD8Y',
    'an empty id': 's:.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU',
    'an empty value': '',
    garbage: '%%%;;;\u0000\uffff',
  }
  for (const [what, value] of Object.entries(bad)) {
    it(`rejects ${what}`, async () => {
      expect(await signer.verify(value)).toBeNull()
    })
  }
  it('accepts the genuine value', async () => {
    expect(await signer.verify(GOOD)).toEqual({ id: 'apple', rotated: false })
  })
  it('rejects a value signed with a secret it does not know', async () => {
    const other = new CookieSigner(['another secret'], 's:')
    expect(await other.verify(GOOD)).toBeNull()
  })
})

describe('CookieSigner with a synchronous HMAC', () => {
  const hmacSync = (secret: string, data: string): string =>
    createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')
  it('produces the same value as Web Crypto, synchronously', async () => {
    const sync = new CookieSigner([SECRET], 's:', hmacSync)
    const web = new CookieSigner([SECRET], 's:')
    expect(sync.signSync('apple')).toBe(GOOD)
    expect(web.signSync('apple')).toBeUndefined()
    expect(await web.sign('apple')).toBe(GOOD)
    expect(await sync.verify(GOOD)).toEqual({ id: 'apple', rotated: false })
  })
})

describe('CookieSigner cache of verified values', () => {
  const counting = () => {
    const calls = { n: 0 }
    const hmac = (secret: string, data: string): string => {
      calls.n++
      return createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')
    }
    return { calls, signer: new CookieSigner([SECRET], 's:', hmac) }
  }
  it('computes the HMAC of a genuine value once, then answers from the cache', async () => {
    const { calls, signer } = counting()
    expect(await signer.verify(GOOD)).toEqual({ id: 'apple', rotated: false })
    expect(await signer.verify(GOOD)).toEqual({ id: 'apple', rotated: false })
    expect(calls.n).toBe(1)
  })
  it('never remembers a forgery, even next to a cached genuine value', async () => {
    const { calls, signer } = counting()
    const forged = GOOD.replace('D8Y', 'D9Y')
    await signer.verify(GOOD)
    expect(await signer.verify(forged)).toBeNull()
    expect(await signer.verify(forged)).toBeNull()
    expect(calls.n).toBe(3)
  })
  it('remembers a value verified by an old secret as rotated', async () => {
    const signer = new CookieSigner(['new secret', SECRET], 's:')
    expect(await signer.verify(GOOD)).toEqual({ id: 'apple', rotated: true })
    expect(await signer.verify(GOOD)).toEqual({ id: 'apple', rotated: true })
  })
  it('is bounded: never more than VERIFIED_CACHE_SIZE values; the most recent half and values in use are kept', async () => {
    const { calls, signer } = counting()
    const half = VERIFIED_CACHE_SIZE / 2
    const values = Array.from({ length: VERIFIED_CACHE_SIZE + 1 }, (_, i) => signer.signSync(`id${i}`) as string)
    calls.n = 0
    for (const value of values) await signer.verify(value)
    expect(calls.n).toBe(VERIFIED_CACHE_SIZE + 1)
    // The oldest value is gone: at most VERIFIED_CACHE_SIZE are held.
    await signer.verify(values[0] as string)
    expect(calls.n).toBe(VERIFIED_CACHE_SIZE + 2)
    // The most recent half is still there.
    calls.n = 0
    for (const value of values.slice(-half)) await signer.verify(value)
    expect(calls.n).toBe(0)
    // A value kept in use survives any number of new ones.
    const hot = values[VERIFIED_CACHE_SIZE] as string
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < half; i++) await signer.verify(signer.signSync(`new${round}-${i}`) as string)
      await signer.verify(hot)
    }
    calls.n = 0
    await signer.verify(hot)
    expect(calls.n).toBe(0)
  })
  it('signs with the synchronous HMAC when one is given, also through sign()', async () => {
    const { calls, signer } = counting()
    expect(await signer.sign('apple')).toBe(GOOD)
    expect(calls.n).toBe(1)
  })
})

describe('encoding', () => {
  it('matches btoa for every length 0..64 of random bytes', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n))
      const expected = btoa(String.fromCharCode(...bytes))
      expect(encodeBase64NoPad(bytes)).toBe(expected.replace(/=+$/, ''))
      expect(encodeBase64Url(bytes)).toBe(expected.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
    }
  })
  it('matches btoa for inputs longer than one batch of character codes', () => {
    const bytes = new Uint8Array(10_001)
    for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536))
    const expected = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replace(/=+$/, '')
    expect(encodeBase64NoPad(bytes)).toBe(expected)
    expect(encodeBase64Url(bytes)).toBe(expected.replace(/\+/g, '-').replace(/\//g, '_'))
  })
})

describe('constantTimeEqual', () => {
  it('is true only for identical strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true)
    expect(constantTimeEqual('abc', 'abd')).toBe(false)
    expect(constantTimeEqual('abc', 'ab')).toBe(false)
    expect(constantTimeEqual('', '')).toBe(true)
  })
})

describe('generateSessionId', () => {
  it('gives 32 URL-safe characters (192 bits) and no repeats', () => {
    const ids = new Set(Array.from({ length: 2000 }, generateSessionId))
    expect(ids.size).toBe(2000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('encodes each 24 random bytes once, one getRandomValues call per 128 ids, and zeroes used bytes', () => {
    let filled: Uint8Array | undefined
    const fill = (array: ArrayBufferView): ArrayBufferView => {
      const bytes = array as Uint8Array
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 13) & 255
      filled = bytes
      return array
    }
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(fill as typeof crypto.getRandomValues)
    try {
      const ids: string[] = []
      let refillAt = -1
      for (let i = 0; i < 256; i++) {
        ids.push(generateSessionId())
        if (refillAt === -1 && spy.mock.calls.length > 0) refillAt = i
      }
      // 256 ids need two refills at most, and the first one happened within the first 128.
      expect(refillAt).toBeGreaterThanOrEqual(0)
      expect(refillAt).toBeLessThan(128)
      expect(spy.mock.calls.length).toBe(2)
      const pattern = new Uint8Array(24 * 128).map((_, i) => (i * 7 + 13) & 255)
      for (let j = 0; j < 128 - refillAt; j++) {
        expect(ids[refillAt + j]).toBe(encodeBase64Url(pattern.subarray(24 * j, 24 * j + 24)))
      }
      // The pool was refilled again for the last ids; everything issued from it is zeroed.
      const used = 24 * (256 - refillAt - 128)
      expect(filled?.subarray(0, used).every((b) => b === 0)).toBe(true)
    } finally {
      spy.mockRestore()
    }
  })

  it('spreads the characters evenly (no encoding bias)', () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 4000; i++) for (const ch of generateSessionId()) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    expect(counts.size).toBe(64)
    // 128,000 characters over 64 symbols: 2,000 each; a bad shift or mask would empty or double some.
    for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(300)
  })
})
