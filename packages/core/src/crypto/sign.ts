import { constantTimeEqual } from './constant-time.js'
import { encodeBase64NoPad } from './encoding.js'
import { Generations } from '../internal/generations.js'

/**
 * A synchronous HMAC-SHA-256 in base64 without padding, e.g. built on `node:crypto`'s
 * `createHmac`. Node adapters pass one so a cookie can be signed inside a synchronous
 * header hook; everywhere else Web Crypto is used.
 */
export type SyncHMAC = (secret: string, data: string) => string

/** A verified cookie: the session id, and whether an older secret verified it (re-sign it). */
export interface VerifiedCookie {
  readonly id: string
  readonly rotated: boolean
}

const encoder = new TextEncoder()

/** Verified cookie values remembered per signer (see {@link CookieSigner.verify}). */
export const VERIFIED_CACHE_SIZE = 4096

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
  // Values that verified. A returning visitor sends the same value on every request, and through Web Crypto each
  // HMAC is an async job costing tens of µs of CPU on Node. Only successes are kept, keyed by the whole value
  // (signature included), so a hit proves exactly what the HMAC proved; forgeries are recomputed every time. The
  // secrets never change for a signer, so an entry cannot go stale. Bounded as two generations: the most recent
  // VERIFIED_CACHE_SIZE / 2 values are always kept.
  readonly #verified = new Generations<VerifiedCookie>(VERIFIED_CACHE_SIZE / 2)

  constructor(secrets: readonly string[], prefix: string, sync?: SyncHMAC) {
    this.#secrets = secrets
    this.#prefix = prefix
    this.#sync = sync
  }

  /** The full cookie value for `id`, signed with the first secret (synchronously when a {@link SyncHMAC} was given). */
  async sign(id: string): Promise<string> {
    return this.signSync(id) ?? `${this.#prefix}${id}.${await this.#mac(0, id)}`
  }

  /** Like {@link sign}, synchronously; only available when a {@link SyncHMAC} was given. */
  signSync(id: string): string | undefined {
    if (this.#sync === undefined) return undefined
    return `${this.#prefix}${id}.${this.#sync(this.#secrets[0] as string, id)}`
  }

  /** Verifies a cookie value against every secret; null when it is not validly signed. Never throws. */
  async verify(value: string): Promise<VerifiedCookie | null> {
    const known = this.verifyCached(value)
    if (known !== undefined) return known
    if (!value.startsWith(this.#prefix)) return null
    const dot = value.lastIndexOf('.')
    if (dot <= this.#prefix.length) return null
    const id = value.slice(this.#prefix.length, dot)
    const signature = value.slice(dot + 1)
    for (let i = 0; i < this.#secrets.length; i++) {
      const expected = this.#sync ? this.#sync(this.#secrets[i] as string, id) : await this.#mac(i, id)
      if (constantTimeEqual(expected, signature)) {
        // Frozen: a cached result is handed out as it is on every hit.
        this.#verified.set(copy(value), Object.freeze({ id: copy(id), rotated: i > 0 }))
        return { id, rotated: i > 0 }
      }
    }
    return null
  }

  /** The result of an earlier successful {@link verify} of exactly this value, synchronously; undefined if none. */
  verifyCached(value: string): VerifiedCookie | undefined {
    return this.#verified.get(value)
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

/**
 * A copy of `text` that shares no memory with it: a cookie value is a slice of the whole Cookie header, and a slice
 * kept in the cache would keep the header alive with it.
 */
function copy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}
