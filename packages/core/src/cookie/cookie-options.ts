import { invalidOption } from '../errors.js'

/** Attributes of the session cookie. */
export interface SessionCookieOptions {
  /** Cookie name. `__Host-` and `__Secure-` prefixes are validated. @default 'sid' */
  name?: string | undefined
  /** @default '/' */
  path?: string | undefined
  /** @default undefined (host-only cookie) */
  domain?: string | undefined
  /** @default true */
  httpOnly?: boolean | undefined
  /** `'auto'`: Secure exactly when the request is secure (HTTPS, or a trusted proxy says so). @default 'auto' */
  secure?: boolean | 'auto' | undefined
  /** `false` omits the attribute. `'none'` always carries Secure, as browsers require. @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none' | false | undefined
  /** CHIPS partitioned cookie. @default false */
  partitioned?: boolean | undefined
  /** @default undefined */
  priority?: 'low' | 'medium' | 'high' | undefined
  /**
   * Send Max-Age/Expires so the cookie outlives the browser session; `false` makes a browser-session cookie
   * (the store record still expires after the idle timeout). @default true
   */
  persistent?: boolean | undefined
}

/** Cookie attributes after defaults. */
export interface ResolvedCookieOptions {
  path: string
  domain: string | undefined
  httpOnly: boolean
  secure: boolean | 'auto'
  sameSite: 'lax' | 'strict' | 'none' | undefined
  partitioned: boolean
  priority: 'low' | 'medium' | 'high' | undefined
  persistent: boolean
}

/** Default cookie name of new APIs (the Express adapter keeps `connect.sid`). */
export const DEFAULT_COOKIE_NAME = 'sid'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

function oneOf<const T>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw invalidOption(`cookie.${name} must be one of ${JSON.stringify(allowed)}.`)
  return value as T
}

/** Applies the cookie defaults and validates the attributes together (prefixes, SameSite=None, Partitioned). */
export function resolveCookieOptions(c: SessionCookieOptions): { cookieName: string; cookie: ResolvedCookieOptions } {
  const cookieName = c.name ?? DEFAULT_COOKIE_NAME
  if (!TOKEN.test(cookieName))
    throw invalidOption(`Cookie name must be an RFC 6265 token; got ${JSON.stringify(cookieName)}.`)
  const path = c.path ?? '/'
  if (!path.startsWith('/') || /[;\s]/.test(path))
    throw invalidOption('cookie.path must start with "/" and hold no ";" or spaces.')
  if (c.domain !== undefined && !/^\.?[A-Za-z0-9.-]+$/.test(c.domain))
    throw invalidOption('cookie.domain must be a host name.')
  const secure = oneOf('secure', c.secure ?? 'auto', [true, false, 'auto'])
  const sameSite = oneOf('sameSite', c.sameSite ?? 'lax', ['lax', 'strict', 'none', false]) || undefined
  const priority = c.priority === undefined ? undefined : oneOf('priority', c.priority, ['low', 'medium', 'high'])
  // What only a Secure cookie may be ('auto' makes these Secure whatever the request).
  const needsSecure =
    sameSite === 'none'
      ? "cookie.sameSite 'none'"
      : c.partitioned
        ? 'cookie.partitioned'
        : /^__(Secure|Host)-/.exec(cookieName)?.[0]
  if (needsSecure && secure === false)
    throw invalidOption(`${needsSecure} needs a Secure cookie: set cookie.secure to true or 'auto'.`)
  if (cookieName.startsWith('__Host-') && (path !== '/' || c.domain !== undefined))
    throw invalidOption('A __Host- cookie must have path "/" and no domain.')
  return {
    cookieName,
    cookie: {
      path,
      domain: c.domain,
      httpOnly: c.httpOnly ?? true,
      secure,
      sameSite,
      partitioned: c.partitioned ?? false,
      priority,
      persistent: c.persistent ?? true,
    },
  }
}
