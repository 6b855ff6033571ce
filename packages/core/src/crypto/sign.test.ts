import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
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
    expect(sync.canSignSync).toBe(true)
    expect(web.canSignSync).toBe(false)
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
  it('is bounded: the least recently used value is verified again', async () => {
    const { calls, signer } = counting()
    const values = Array.from({ length: VERIFIED_CACHE_SIZE + 1 }, (_, i) => signer.signSync(`id${i}`) as string)
    calls.n = 0
    await signer.verify(values[0] as string)
    for (const value of values.slice(1)) await signer.verify(value)
    expect(calls.n).toBe(VERIFIED_CACHE_SIZE + 1)
    await signer.verify(values[0] as string) // evicted by the last one
    await signer.verify(values[VERIFIED_CACHE_SIZE] as string) // still cached
    expect(calls.n).toBe(VERIFIED_CACHE_SIZE + 2)
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
})
