import type { Session as CoreSession, SessionHandle } from '@sess/core'
import { serializeCookie } from '@sess/core'
import { lifetimeSeconds } from './cookie-settings.js'

/** Cookie attributes as express-session takes them. Durations in milliseconds. */
export interface CookieOptions {
  /** Lifetime in ms; `null` makes a browser-session cookie. @default null */
  maxAge?: number | null | undefined
  /** A fixed expiry date; prefer `maxAge`. @default null */
  expires?: Date | null | undefined
  /** @default '/' */
  path?: string | undefined
  /** @default undefined (host-only) */
  domain?: string | undefined
  /** @default true */
  httpOnly?: boolean | undefined
  /** `'auto'`: Secure when the request is (see `proxy`); `true` sends no cookie over plain HTTP. @default false */
  secure?: boolean | 'auto' | undefined
  /** `true` is `'strict'`; `'auto'` is `'none'` over HTTPS and `'lax'` otherwise; `false` omits it. @default 'lax' */
  sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | 'Lax' | 'Strict' | 'None' | undefined
  /** CHIPS partitioned cookie. @default false */
  partitioned?: boolean | undefined
  /** @default undefined */
  priority?: 'low' | 'medium' | 'high' | undefined
}

/** How a request's cookie reaches its session. */
export interface CookieLink {
  core: CoreSession<object>
  /** Core's view of the cookie's lifetime (in ms, with the injected clock). */
  handle: SessionHandle<object>
  now(): number
  /** `maxAge`/`expires`/`touch()` in this request: the stored expiry is stale. */
  changed: boolean
  /** An expiry date the app set: the cookie carries it as given (express-session's absolute `expires`). */
  fixed?: Date | undefined
  /** The attributes as the request started, to tell whether the app changed them. */
  initial?: string | undefined
  /** Called instead of a change once the response is on its way (a late write must not throw). */
  late(operation: string): boolean
}

let linkOf: (cookie: Cookie) => CookieLink | undefined
let setLink: (cookie: Cookie, link: CookieLink) => void

const ATTRIBUTES = ['path', 'domain', 'httpOnly', 'secure', 'sameSite', 'partitioned', 'priority'] as const
const attributesOf = (c: Cookie): string => ATTRIBUTES.map((k) => String(c[k])).join('|')

/**
 * `req.session.cookie`: express-session's `Cookie`. Attached to a request, `maxAge` and `expires` read and set the
 * session's own lifetime ("remember me"); detached (`new Cookie(options)`), it is a plain value as in express-session.
 */
export class Cookie {
  path = '/'
  httpOnly = true
  domain: string | undefined
  secure: boolean | 'auto' | undefined
  sameSite: CookieOptions['sameSite']
  partitioned: boolean | undefined
  priority: 'low' | 'medium' | 'high' | undefined
  #expires: Date | null = null
  #originalMaxAge: number | null = null
  // Attached to a request's session (a private field: nothing extra for JSON, spreads or the typings to show).
  #link: CookieLink | undefined

  static {
    linkOf = (cookie) => cookie.#link
    setLink = (cookie, link) => {
      cookie.#link = link
    }
  }

  constructor(options?: CookieOptions & { originalMaxAge?: number | null | undefined }) {
    const { maxAge, expires, originalMaxAge, ...attributes } = options ?? {}
    Object.assign(this, attributes)
    if (expires != null) this.expires = new Date(expires)
    if (maxAge !== undefined) this.maxAge = maxAge
    if (originalMaxAge != null) this.#originalMaxAge = originalMaxAge
  }

  /** The lifetime the session started with, ms; `null` for a browser-session cookie. */
  get originalMaxAge(): number | null {
    const link = this.#link
    return link === undefined ? this.#originalMaxAge : link.handle.lifetime({ unit: 'ms' }).originalMaxAge
  }
  set originalMaxAge(ms: number | null) {
    if (this.#link !== undefined) this.maxAge = ms
    else this.#originalMaxAge = ms
  }

  /** When the cookie expires; `null` for a browser-session cookie. Setting it changes this session's lifetime. */
  get expires(): Date | null {
    const link = this.#link
    if (link === undefined) return this.#expires
    if (link.fixed !== undefined) return link.fixed
    const view = link.handle.lifetime({ unit: 'ms' })
    if (view.originalMaxAge === null || !link.changed) return view.expires
    // Changed in this request (touch(), a new maxAge): the countdown restarts now, as express-session shows it.
    return new Date(link.now() + view.originalMaxAge)
  }
  set expires(date: Date | null | false) {
    const link = this.#link
    if (link === undefined) {
      this.#expires = date || null
      this.#originalMaxAge = this.maxAge
      return
    }
    if (link.late('cookie.expires')) return
    // Zero or a past date would be rejected by setMaxAge: the shortest lifetime expires the session now, and the
    // cookie carries the date as given.
    const ms = date ? date.getTime() - link.now() : null
    link.core.setMaxAge(lifetimeSeconds(ms))
    link.fixed = date && ms !== null && ms < 1 ? date : undefined
    link.changed = true
  }

  /** Milliseconds until the cookie expires; `null` for a browser-session cookie. */
  get maxAge(): number | null {
    const expires = this.expires
    return expires === null ? null : expires.getTime() - (this.#link?.now() ?? Date.now())
  }
  set maxAge(ms: number | null) {
    this.expires = typeof ms === 'number' ? new Date((this.#link?.now() ?? Date.now()) + ms) : null
  }

  /** The attributes as express-session reports them (what stores persist). */
  get data(): Record<string, unknown> {
    const { originalMaxAge, partitioned, priority, expires, secure, httpOnly, domain, path, sameSite } = this
    return { originalMaxAge, partitioned, priority, expires, secure, httpOnly, domain, path, sameSite }
  }

  /** A `Set-Cookie` value for `name=value` with these attributes. */
  serialize(name: string, value: string): string {
    return serializeCookie(name, value, cookieAttributes(this, undefined))
  }

  toJSON(): Record<string, unknown> {
    return this.data
  }
}

function cookieAttributes(c: Cookie, now: number | undefined): Parameters<typeof serializeCookie>[2] {
  const expires = c.expires
  const s = typeof c.sameSite === 'string' ? c.sameSite.toLowerCase() : c.sameSite
  const sameSite = s === true ? 'strict' : s === 'auto' ? 'lax' : s || undefined
  return {
    path: c.path,
    domain: c.domain,
    httpOnly: c.httpOnly,
    secure: c.secure === true,
    sameSite: sameSite as 'lax' | 'strict' | 'none' | undefined,
    partitioned: c.partitioned === true,
    priority: c.priority,
    maxAge: expires === null || now === undefined ? undefined : Math.max(0, (expires.getTime() - now) / 1000),
    expiresAtMs: expires?.getTime(),
  }
}

/** Links a request's cookie to its session and remembers its attributes as they start. */
export function linkCookie(cookie: Cookie, link: CookieLink): void {
  setLink(cookie, link)
  link.initial = attributesOf(cookie)
}

/** Resets the cookie's countdown to its original lifetime (express-session's `touch()`), at once. */
export function resetCookie(cookie: Cookie): void {
  const link = linkOf(cookie)
  if (link !== undefined) link.changed = true
}

/**
 * The `Set-Cookie` value for `value` when the app changed this request's cookie attributes or gave it a fixed
 * expiry date; undefined when core's own header stands.
 */
export function customCookie(cookie: Cookie, name: string, value: string): string | undefined {
  const link = linkOf(cookie)
  if (link === undefined || (link.fixed === undefined && link.initial === attributesOf(cookie))) return undefined
  return serializeCookie(name, value, cookieAttributes(cookie, link.now()))
}

/** Whether the app changed the attributes of this request's cookie. */
export function cookieChanged(cookie: Cookie): boolean {
  const link = linkOf(cookie)
  return link !== undefined && (link.fixed !== undefined || link.initial !== attributesOf(cookie))
}
