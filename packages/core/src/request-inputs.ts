import type { CookieCodec } from './codec/codec.js'
import { carriedCodec } from './codec/carried-codec.js'
import { SignedCodec } from './codec/signed.js'
import type { SessionCookieOptions } from './cookie/cookie-options.js'
import { resolveCookieOptions } from './cookie/cookie-options.js'
import { ResponseCookie } from './cookie/response-cookie.js'
import { CookieSigner } from './crypto/sign.js'
import { Generations } from './internal/generations.js'
import type { ResolvedOptions } from './options.js'
import { resolveSecrets } from './options.js'

/** Cookie attributes an adapter may set for one request (express-session and @fastify/session allow it). */
export type CookieOverrides = Omit<SessionCookieOptions, 'name'>

/**
 * How many distinct secret lists and attribute sets, the most recently used, are sure to keep their keys and
 * serializers (each cache holds at most twice as many: two generations).
 */
export const MAX_CACHED_INPUTS = 16

/**
 * The codec and the Set-Cookie writer for a request's own inputs. Keys are imported and attribute text is built once
 * per distinct secret list or attribute set, kept in bounded caches, so per-request inputs cost a lookup.
 */
export class RequestInputs {
  readonly #o: ResolvedOptions
  readonly codec: CookieCodec
  readonly cookie: ResponseCookie
  readonly #codecs = new Generations<CookieCodec>(MAX_CACHED_INPUTS)
  readonly #cookies = new Generations<ResponseCookie>(MAX_CACHED_INPUTS)

  constructor(o: ResolvedOptions) {
    this.#o = o
    this.codec = this.#codec(o.secrets)
    this.cookie = new ResponseCookie(o.cookieName, o.cookie)
  }

  /** The codec for `secret` (validated like the configured one), or the configured codec. */
  codecFor(secret: string | readonly string[] | undefined): CookieCodec {
    if (secret === undefined) return this.codec
    const key = JSON.stringify(secret) ?? ''
    return this.#codecs.getOr(key, () => this.#codec(resolveSecrets(secret, this.#o.minSecretLength)))
  }

  /** The Set-Cookie writer for attribute overrides (validated together with the configured ones). */
  cookieFor(overrides: CookieOverrides | undefined): ResponseCookie {
    if (overrides === undefined) return this.cookie
    return this.#cookies.getOr(JSON.stringify(overrides), () => {
      const base = this.#o.cookie
      const merged: SessionCookieOptions = { ...base, sameSite: base.sameSite ?? false, ...overrides }
      const { cookieName, cookie } = resolveCookieOptions({ ...merged, name: this.#o.cookieName })
      return new ResponseCookie(cookieName, cookie)
    })
  }

  #codec(secrets: readonly string[]): CookieCodec {
    const o = this.#o
    // sealedCookie() carries its codec, so an app with a store never bundles the sealing code.
    const carried = carriedCodec(o.store)
    return carried
      ? carried(secrets, o.cookieName)
      : new SignedCodec(new CookieSigner(secrets, o.cookiePrefix, o.hmacSync), o.store)
  }
}
