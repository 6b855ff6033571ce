import { describe, expect, it } from 'vitest'
import { CookieSigner } from '../../src/index.js'

// Known answers computed with node:crypto createHmac and cross-checked against the cookie-signature package that
// express-session uses: cookie-signature.sign('apple', 'keyboard cat').
const VECTORS = [
  { secret: 'keyboard cat', id: 'apple', sig: 'D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU' },
  { secret: 'keyboard cat', id: 'tobi', sig: 'k/MBGA3LV/De+0YTROxcLuurjbOQXyaa2veNodQBZc4' },
  {
    secret: 'a-secret-that-is-at-least-32-chars!!',
    id: '3fQ8s0wQe1p_kZ-YV8TtGm6n2Y9QxJbA',
    sig: '4CWKJwFE3NKxcpiZi6M1nmjRaS0gA2xG4Y6iuNIK3EM',
  },
]

describe('express-session cookie format (s: prefix)', () => {
  for (const v of VECTORS) {
    it(`signs ${v.id} with "${v.secret}" exactly as express-session does`, async () => {
      const signer = new CookieSigner([v.secret], 's:')
      expect(await signer.sign(v.id)).toBe(`s:${v.id}.${v.sig}`)
    })
    it(`verifies express-session's value for ${v.id}`, async () => {
      const signer = new CookieSigner([v.secret], 's:')
      expect(await signer.verify(`s:${v.id}.${v.sig}`)).toEqual({ id: v.id, rotated: false })
    })
  }
})

describe('@fastify/session cookie format (no prefix)', () => {
  it('signs and verifies id.signature without s:', async () => {
    const signer = new CookieSigner(['keyboard cat'], '')
    expect(await signer.sign('apple')).toBe('apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU')
    expect(await signer.verify('apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU')).toEqual({
      id: 'apple',
      rotated: false,
    })
    // The express format is not accepted by a fastify-format signer and vice versa.
    expect(
      await new CookieSigner(['keyboard cat'], 's:').verify('apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU'),
    ).toBeNull()
  })
})

describe('secret rotation', () => {
  it('verifies a value signed by an older secret and flags it for re-signing', async () => {
    const old = 'old-secret-old-secret-old-secret-00'
    const signer = new CookieSigner(['keyboard cat', old], 's:')
    expect(await signer.verify('s:apple.TATKmyqjKVLtMmU5SRUynPWqujxr2+R0nkjgAIt7Pnc')).toEqual({
      id: 'apple',
      rotated: true,
    })
    expect(await signer.sign('apple')).toBe('s:apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU')
  })
})
