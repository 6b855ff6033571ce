import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from './encoding.js'

describe('decodeBase64Url', () => {
  it('inverts encodeBase64Url for every length and byte value', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 0xff)
      expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes)
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(decodeBase64Url(encodeBase64Url(all))).toEqual(all)
  })

  it('accepts the standard alphabet as well', () => {
    // '+/' and '-_' are the same two digits (62, 63).
    expect(decodeBase64Url('+/8')).toEqual(decodeBase64Url('-_8'))
    expect(decodeBase64Url('-_8')).toEqual(Uint8Array.of(0xfb, 0xff))
  })

  it('returns undefined for anything malformed', () => {
    for (const bad of ['A', 'AAAAA', 'AA=A', 'AA A', 'AA.A', 'AAé', 'AA\u0100A', 'AA\u{1F600}']) {
      expect(decodeBase64Url(bad), bad).toBeUndefined()
    }
  })
})
