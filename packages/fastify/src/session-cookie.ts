import { serializeCookie } from '@sess/core'
import type { CookieDefaults } from './options.js'

/**
 * `request.session.cookie`, as @fastify/session describes a session's cookie: `originalMaxAge` and `maxAge` in
 * milliseconds, `expires` a Date (null for a browser-session cookie), and the attributes, with `secure: 'auto'`
 * already decided for this request (over plain HTTP also SameSite=Lax). Setting `maxAge` ("remember me") moves
 * `expires` and is kept for the session's later requests.
 */
export class SessionCookie {
  path: string
  domain: string | null
  httpOnly: boolean
  secure: boolean
  sameSite: 'lax' | 'strict' | 'none' | null
  partitioned: boolean
  priority: 'low' | 'medium' | 'high' | undefined
  /** Milliseconds, or null for a browser-session cookie. */
  originalMaxAge: number | null
  /** When the cookie expires, or null for a browser-session cookie. */
  expires: Date | null

  constructor(c: CookieDefaults, https: boolean, now: number) {
    this.path = c.path
    this.domain = c.domain ?? null
    this.httpOnly = c.httpOnly
    this.secure = c.secure === 'auto' ? https : c.secure
    this.sameSite = c.secure === 'auto' && !https ? 'lax' : (c.sameSite ?? null)
    this.partitioned = c.partitioned
    this.priority = c.priority
    this.originalMaxAge = c.maxAge
    this.expires = c.maxAge === null ? c.expires : new Date(now + c.maxAge)
  }

  /** Milliseconds left, or null for a browser-session cookie. Setting it starts a new lifetime from now. */
  get maxAge(): number | null {
    return this.expires === null ? null : this.expires.getTime() - Date.now()
  }
  set maxAge(ms: number | null) {
    this.originalMaxAge = ms
    this.expires = ms === null ? null : new Date(Date.now() + ms)
  }

  /** The cookie as @fastify/session serialises it. */
  toJSON(): Record<string, unknown> {
    const { path, domain, httpOnly, secure, sameSite, partitioned, originalMaxAge, expires } = this
    return { expires, originalMaxAge, sameSite, secure, path, httpOnly, domain, partitioned }
  }

  /** The `Set-Cookie` value carrying `value`, attributes in @fastify/cookie's order (Expires, no Max-Age). */
  header(name: string, value: string): string {
    return serializeCookie(name, value, {
      path: this.path,
      domain: this.domain ?? undefined,
      httpOnly: this.httpOnly,
      secure: this.secure,
      sameSite: this.sameSite ?? undefined,
      partitioned: this.partitioned,
      priority: this.priority,
      expiresAtMs: this.expires?.getTime(),
    })
  }
}

/** The `Set-Cookie` value that removes the cookie, as @fastify/cookie's `clearCookie` writes it. */
export function clearCookieHeader(name: string, c: CookieDefaults): string {
  return serializeCookie(name, '', {
    path: c.path,
    domain: c.domain,
    httpOnly: false,
    secure: false,
    sameSite: 'lax',
    partitioned: false,
    maxAge: 0,
    expiresAtMs: 0,
  })
}
