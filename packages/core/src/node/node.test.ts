import { describe, expect, it } from 'vitest'
import { CookieSigner } from '../crypto/sign.js'
import { hashSessionId } from '../store-kit/hash.js'
import { hashSessionIdSync, nodeHMAC } from './index.js'

const SECRET = 'node-entry-secret-node-entry-secret-0123'

describe('@sess/core/node', () => {
  it('nodeHMAC signs exactly as the Web Crypto path does', async () => {
    const webCrypto = new CookieSigner([SECRET], 's:')
    const sync = new CookieSigner([SECRET], 's:', nodeHMAC)
    for (const id of ['abc', 'x'.repeat(40), 'é-ü']) {
      expect(sync.signSync(id)).toBe(await webCrypto.sign(id))
      expect(await webCrypto.verify(sync.signSync(id)!)).toEqual({ id, rotated: false })
    }
  })
  it('hashSessionIdSync equals hashSessionId', async () => {
    for (const id of ['abc', '', 'é']) expect(hashSessionIdSync(id)).toBe(await hashSessionId(id))
    expect(hashSessionIdSync('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
