import { describe, expect, it } from 'vitest'
import { hashSessionId } from './hash.js'

describe('hashSessionId', () => {
  it('is the lowercase hex SHA-256 of the id (FIPS 180-2 test vector)', async () => {
    expect(await hashSessionId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
  it('hashes the UTF-8 bytes of the id', async () => {
    // sha256sum of the two bytes C3 A9
    expect(await hashSessionId('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c')
    expect(await hashSessionId('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })
})
