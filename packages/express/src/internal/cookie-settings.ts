import type { SessionCookieOptions } from '@sess/core'
import { MAX_LIFETIME_SECONDS } from '@sess/core'
import type { CookieOptions } from './cookie.js'

type CoreSameSite = 'lax' | 'strict' | 'none' | false

/** express-session's `sameSite` for one request: any case, `true` for Strict, `'auto'` by the request's security. */
export function sameSiteOf(c: CookieOptions, secure: boolean): CookieOptions['sameSite'] {
  const s = typeof c.sameSite === 'string' ? (c.sameSite.toLowerCase() as CookieOptions['sameSite']) : c.sameSite
  return s === 'auto' ? (secure ? 'none' : 'lax') : s === true ? 'strict' : s
}

/** The cookie's lifetime in ms as express-session takes it: `maxAge`, else an `expires` date; null for none. */
export function lifetimeMs(c: CookieOptions, now: number): number | null {
  return c.maxAge ?? (c.expires ? c.expires.getTime() - now : null)
}

/**
 * A lifetime in ms as core takes it: seconds, fractions kept (express-session accepts 5 ms), at most the 400 days
 * browsers keep a cookie; zero or less (express-session: "already expired") is the shortest lifetime there is.
 */
export function lifetimeSeconds(ms: number | null): number | null {
  if (ms === null) return null
  return Math.min(Math.max(ms, 1) / 1000, MAX_LIFETIME_SECONDS)
}

/** Core's cookie attributes for express-session's, as one request (over HTTPS or not) gets them. */
export function coreAttributes(c: CookieOptions, secure: boolean): Omit<SessionCookieOptions, 'name'> {
  const sameSite = sameSiteOf(c, secure)
  // SameSite=None and Partitioned cookies need Secure, which browsers enforce: sess adds it over HTTPS.
  const forceSecure = (sameSite === 'none' || c.partitioned === true) && !c.secure
  return {
    path: c.path,
    domain: c.domain,
    httpOnly: c.httpOnly ?? true,
    secure: forceSecure ? 'auto' : (c.secure ?? false),
    sameSite: (sameSite === undefined ? 'lax' : sameSite) as CoreSameSite,
    partitioned: c.partitioned,
    priority: c.priority,
    persistent: c.maxAge != null || c.expires != null,
  }
}

/** Whether every request gets the same attributes and lifetime (then core needs no per-request inputs). */
export function isStatic(cookie: CookieOptions | ((req: never) => CookieOptions)): cookie is CookieOptions {
  if (typeof cookie === 'function') return false
  const lifetime = lifetimeMs(cookie, 0)
  return sameSiteOf(cookie, true) === sameSiteOf(cookie, false) && cookie.expires == null && (lifetime ?? 1000) >= 1000
}
