import { SessionStateError } from '../errors.js'
import { MAX_SET_COOKIE_BYTES } from '../limits.js'
import type { ResolvedCookieOptions } from './cookie-options.js'
import type { CookieLifetime } from '../session/plan.js'
import type { StaticCookieAttributes } from './serialize.js'
import { cookieSerializer } from './serialize.js'

type Serializer = ReturnType<typeof cookieSerializer>

/** The attributes of the session cookie for a request, with `Secure` decided for it (`'auto'`). */
export function cookieAttributes(
  name: string,
  c: ResolvedCookieOptions,
  secureRequest: boolean,
): StaticCookieAttributes {
  const forced = c.sameSite === 'none' || c.partitioned || name.startsWith('__Secure-') || name.startsWith('__Host-')
  return {
    path: c.path,
    domain: c.domain,
    httpOnly: c.httpOnly,
    secure: c.secure === 'auto' ? secureRequest || forced : c.secure,
    sameSite: c.sameSite,
    partitioned: c.partitioned,
    priority: c.priority,
  }
}

/**
 * Writes the session cookie's `Set-Cookie` value for one set of attributes. The attribute text is built once, for
 * plain HTTP and for HTTPS requests, so a response only formats Max-Age and Expires.
 */
export class ResponseCookie {
  readonly #serializers: readonly [Serializer, Serializer]
  /** The cookie's name and resolved attributes (diagnostics read them). */
  readonly name: string
  readonly options: ResolvedCookieOptions

  constructor(name: string, cookie: ResolvedCookieOptions) {
    this.name = name
    this.options = cookie
    this.#serializers = [
      cookieSerializer(name, cookieAttributes(name, cookie, false)),
      cookieSerializer(name, cookieAttributes(name, cookie, true)),
    ]
  }

  /** The `Set-Cookie` value; an empty value with `lifetime` Max-Age 0 expires the cookie. */
  header(value: string, lifetime: CookieLifetime | undefined, options: { secure: boolean }): string {
    const header = this.#serializers[options.secure ? 1 : 0](value, lifetime)
    // Browsers drop a larger cookie silently; fail loudly instead (it only happens with sealed mode's payloads).
    if (header.length > MAX_SET_COOKIE_BYTES) {
      throw new SessionStateError(
        'COOKIE_TOO_LARGE',
        `[sess] The session cookie would be ${header.length} bytes, over the ${MAX_SET_COOKIE_BYTES} browsers keep: store less, or use a store.`,
      )
    }
    return header
  }
}
