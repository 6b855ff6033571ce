import { createHmac, timingSafeEqual } from 'node:crypto'

/** What `unsign` tells: valid or not, the id, and whether a newer secret should re-sign it. */
export interface UnsignResult {
  valid: boolean
  renew: boolean
  value: string | null
}

/** A cookie signer in @fastify/cookie's shape; pass one as `secret` to sign cookies your own way. */
export interface CookieSignerLike {
  sign(value: string): string
  unsign(signedValue: string): UnsignResult
}

const INVALID: UnsignResult = Object.freeze({ valid: false, renew: false, value: null })
const CACHE_SIZE = 4096

/**
 * @fastify/cookie's format, `value.base64(HMAC(secret, value))` without padding, over the app's own secret array:
 * the array is read on every call, so secrets pushed or removed at run time take effect (a removed secret's cookies
 * stop verifying). Verified values are remembered (two generations, bounded) with the secret that verified them.
 */
class SecretSigner implements CookieSignerLike {
  readonly #secrets: readonly string[]
  readonly #algorithm: string
  #young = new Map<string, { id: string; secret: string }>()
  #old = new Map<string, { id: string; secret: string }>()

  constructor(secrets: readonly string[], algorithm: string) {
    this.#secrets = secrets
    this.#algorithm = algorithm
  }

  #mac(secret: string, value: string): string {
    return createHmac(this.#algorithm, secret).update(value).digest('base64').replace(/=+$/, '')
  }

  sign(value: string): string {
    return `${value}.${this.#mac(this.#secrets[0] as string, value)}`
  }

  unsign(signed: string): UnsignResult {
    const known = this.#young.get(signed) ?? this.#old.get(signed)
    if (known !== undefined) {
      const index = this.#secrets.indexOf(known.secret)
      if (index >= 0) return { valid: true, renew: index > 0, value: known.id }
    }
    const dot = signed.lastIndexOf('.')
    if (dot <= 0) return INVALID
    const id = signed.slice(0, dot)
    const given = Buffer.from(signed.slice(dot + 1))
    for (let i = 0; i < this.#secrets.length; i++) {
      const secret = this.#secrets[i] as string
      const expected = Buffer.from(this.#mac(secret, id))
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        if (this.#young.size >= CACHE_SIZE) (this.#old = this.#young), (this.#young = new Map())
        this.#young.set(signed, { id, secret })
        return { valid: true, renew: i > 0, value: id }
      }
    }
    return INVALID
  }
}

/** The signer for the `secret` option: a string, an array (first signs, all verify) or the app's own signer. */
export function createSigner(
  secret: string | readonly string[] | CookieSignerLike,
  algorithm: string,
): CookieSignerLike {
  if (typeof secret === 'string') return new SecretSigner([secret], algorithm)
  if (Array.isArray(secret)) return new SecretSigner(secret as readonly string[], algorithm)
  return secret as CookieSignerLike
}
