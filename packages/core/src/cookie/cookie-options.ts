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
  const secure = c.secure ?? 'auto'
  if (secure !== 'auto' && typeof secure !== 'boolean')
    throw invalidOption("cookie.secure must be true, false or 'auto'.")
  const sameSite = c.sameSite === false ? undefined : (c.sameSite ?? 'lax')
  if (sameSite !== undefined && sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none') {
    throw invalidOption("cookie.sameSite must be 'lax', 'strict', 'none' or false.")
  }
  if (sameSite === 'none' && secure === false)
    throw invalidOption("cookie.sameSite 'none' requires a Secure cookie; set cookie.secure to true or 'auto'.")
  if (c.partitioned && secure === false) throw invalidOption('cookie.partitioned requires a Secure cookie.')
  if (cookieName.startsWith('__Secure-') && secure === false)
    throw invalidOption('A __Secure- cookie must be Secure; set cookie.secure to true.')
  if (cookieName.startsWith('__Host-') && (secure === false || path !== '/' || c.domain !== undefined)) {
    throw invalidOption('A __Host- cookie must be Secure, have path "/" and no domain.')
  }
  if (c.priority !== undefined && !['low', 'medium', 'high'].includes(c.priority)) {
    throw invalidOption("cookie.priority must be 'low', 'medium' or 'high'.")
  }
  return {
    cookieName,
    cookie: {
      path,
      domain: c.domain,
      httpOnly: c.httpOnly ?? true,
      secure,
      sameSite,
      partitioned: c.partitioned ?? false,
      priority: c.priority,
      persistent: c.persistent ?? true,
    },
  }
}
