import { constantTimeEqual } from './constant-time.js'
import { encodeBase64NoPad } from './encoding.js'

/**
 * A synchronous HMAC-SHA-256 in base64 without padding, e.g. built on `node:crypto`'s
 * `createHmac`. Node adapters pass one so a cookie can be signed inside a synchronous
 * header hook; everywhere else Web Crypto is used.
 */
export type SyncHMAC = (secret: string, data: string) => string

/** A verified cookie: the session id, and whether an older secret verified it (re-sign it). */
export interface VerifiedCookie {
  id: string
  rotated: boolean
}

const encoder = new TextEncoder()

/**
 * Signs and verifies cookie values in express-session's format: `prefix + id + '.' + base64(HMAC-SHA-256(id))`
 * without `=` padding. The first secret signs; every secret verifies (rotation).
 */
export class CookieSigner {
  readonly #secrets: readonly string[]
  readonly #prefix: string
  readonly #sync: SyncHMAC | undefined
  // Keys are imported once per secret and reused: importKey costs more than the HMAC itself.
  readonly #keys: Array<Promise<CryptoKey> | undefined> = []

  constructor(secrets: readonly string[], prefix: string, sync?: SyncHMAC) {
    this.#secrets = secrets
    this.#prefix = prefix
    this.#sync = sync
  }

  /** True when {@link signSync} can sign without awaiting. */
  get canSignSync(): boolean {
    return this.#sync !== undefined
  }

  /** The full cookie value for `id`, signed with the first secret. */
  async sign(id: string): Promise<string> {
    return `${this.#prefix}${id}.${await this.#mac(0, id)}`
  }

  /** Like {@link sign}, synchronously; only available when a {@link SyncHMAC} was given. */
  signSync(id: string): string | undefined {
    if (this.#sync === undefined) return undefined
    return `${this.#prefix}${id}.${this.#sync(this.#secrets[0] as string, id)}`
  }

  /** Verifies a cookie value against every secret; null when it is not validly signed. Never throws. */
  async verify(value: string): Promise<VerifiedCookie | null> {
    if (!value.startsWith(this.#prefix)) return null
    const dot = value.lastIndexOf('.')
    if (dot <= this.#prefix.length) return null
    const id = value.slice(this.#prefix.length, dot)
    const signature = value.slice(dot + 1)
    for (let i = 0; i < this.#secrets.length; i++) {
      const expected = this.#sync ? this.#sync(this.#secrets[i] as string, id) : await this.#mac(i, id)
      if (constantTimeEqual(expected, signature)) return { id, rotated: i > 0 }
    }
    return null
  }

  async #mac(index: number, data: string): Promise<string> {
    let key = this.#keys[index]
    if (key === undefined) {
      key = crypto.subtle.importKey(
        'raw',
        encoder.encode(this.#secrets[index]),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
      this.#keys[index] = key
    }
    const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(data))
    return encodeBase64NoPad(new Uint8Array(mac))
  }
}
