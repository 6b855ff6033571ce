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

/**
 * A `Set-Cookie` value in the attribute order of the `cookie` package (as express-session emits it).
 * The value is percent-encoded with encodeURIComponent, which is what express-session cookies use.
 */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  let out = `${name}=${encodeURIComponent(value)}`
  if (attrs.maxAge !== undefined) out += `; Max-Age=${Math.max(0, Math.floor(attrs.maxAge))}`
  if (attrs.domain) out += `; Domain=${attrs.domain}`
  out += `; Path=${attrs.path}`
  if (attrs.expiresAtMs !== undefined) out += `; Expires=${new Date(attrs.expiresAtMs).toUTCString()}`
  if (attrs.httpOnly) out += '; HttpOnly'
  if (attrs.secure) out += '; Secure'
  if (attrs.partitioned) out += '; Partitioned'
  if (attrs.priority) out += `; Priority=${PRIORITY[attrs.priority]}`
  if (attrs.sameSite) out += `; SameSite=${SAME_SITE[attrs.sameSite]}`
  return out
}
