/** Attributes of the session cookie, resolved for one response. */
export interface CookieAttributes {
  path: string
  domain?: string | undefined
  httpOnly: boolean
  secure: boolean
  sameSite?: 'lax' | 'strict' | 'none' | undefined
  partitioned: boolean
  priority?: 'low' | 'medium' | 'high' | undefined
  /** Seconds; omitted for a browser-session cookie. */
  maxAge?: number | undefined
  /** Absolute expiry in epoch milliseconds; written as `Expires` next to Max-Age for old clients. */
  expiresAtMs?: number | undefined
}

const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const
const PRIORITY = { low: 'Low', medium: 'Medium', high: 'High' } as const

/** The attributes of a cookie that do not change between responses. */
export type StaticCookieAttributes = Omit<CookieAttributes, 'maxAge' | 'expiresAtMs'>

/**
 * A serializer for one cookie name and its static attributes: the attribute text is built once, so a response
 * only formats `Max-Age` and `Expires` (cached per second). Same output as {@link serializeCookie}.
 */
export function cookieSerializer(
  name: string,
  attrs: StaticCookieAttributes,
): (value: string, lifetime?: { maxAge?: number | undefined; expiresAtMs?: number | undefined }) => string {
  const prefix = `${name}=`
  const middle = `${attrs.domain ? `; Domain=${attrs.domain}` : ''}; Path=${attrs.path}`
  let tail = ''
  if (attrs.httpOnly) tail += '; HttpOnly'
  if (attrs.secure) tail += '; Secure'
  if (attrs.partitioned) tail += '; Partitioned'
  if (attrs.priority) tail += `; Priority=${PRIORITY[attrs.priority]}`
  if (attrs.sameSite) tail += `; SameSite=${SAME_SITE[attrs.sameSite]}`
  return (value, lifetime) => {
    let out = prefix + encodeValue(value)
    if (lifetime?.maxAge !== undefined) out += `; Max-Age=${Math.max(0, Math.floor(lifetime.maxAge))}`
    out += middle
    if (lifetime?.expiresAtMs !== undefined) out += `; Expires=${httpDate(lifetime.expiresAtMs)}`
    return out + tail
  }
}

/**
 * A `Set-Cookie` value in the attribute order of the `cookie` package (as express-session emits it).
 * The value is percent-encoded with encodeURIComponent, which is what express-session cookies use.
 */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  return cookieSerializer(name, attrs)(value, attrs)
}

// Only characters encodeURIComponent leaves alone (A-Z a-z 0-9 - _ . ! ~ * ' ( )): most values need no encoding.
const PLAIN = /^[\w.!~*'()-]*$/

function encodeValue(value: string): string {
  return PLAIN.test(value) ? value : encodeURIComponent(value)
}

let lastSecond = Number.NaN
let lastDate = ''

/** `Date#toUTCString()`, remembered for the last second asked (expiries of one second share the text). */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastDate = new Date(second * 1000).toUTCString()
    lastSecond = second
  }
  return lastDate
}
