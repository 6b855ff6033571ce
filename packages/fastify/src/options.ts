import type { ResolvedCookieOptions, SessionManagerOptions, Store } from '@sess/core'
import { isSealedCookie, SessionConfigError } from '@sess/core'
import type { FastifyRequest } from 'fastify'
import type { CallbackStore } from './callback-store.js'
import type { CookieSignerLike } from './signer.js'

/** `sameSite` as @fastify/session takes it: `true` is `'strict'`, any capitalisation. */
export type SameSiteOption = boolean | 'lax' | 'strict' | 'none' | 'Lax' | 'Strict' | 'None'

/** Cookie options as @fastify/session takes them (durations in milliseconds). */
export interface FastifySessionCookieOptions {
  /** Milliseconds; a persistent cookie and this session's idle timeout. Wins over `expires`. @default undefined */
  maxAge?: number | undefined
  /** A fixed expiry for the cookie (without `maxAge`). @default undefined (a browser-session cookie) */
  expires?: Date | undefined
  /** @default '/' */
  path?: string | undefined
  /** @default host-only */
  domain?: string | undefined
  /** @default true */
  httpOnly?: boolean | undefined
  /** `true`: never sent over plain HTTP (behind a proxy, set Fastify's `trustProxy`); `'auto'`: Secure on HTTPS. @default true */
  secure?: boolean | 'auto' | 'true' | undefined
  /** @default unset (browsers treat it as Lax) */
  sameSite?: SameSiteOption | undefined
  /** @default false */
  partitioned?: boolean | undefined
  /** @default unset */
  priority?: 'low' | 'medium' | 'high' | undefined
}

/** Plugin options, as @fastify/session names them, plus every @sess/core option (durations in seconds). */
export interface FastifySessionOptions
  extends Omit<
    SessionManagerOptions,
    'cookie' | 'generateId' | 'secret' | 'store' | 'hmacSync' | 'cookiePrefix' | 'minSecretLength'
  > {
  /** A string of at least 32 characters, an array (any length; the first signs, all verify, read live) or a signer. */
  secret: string | string[] | CookieSignerLike
  /** HMAC algorithm of string secrets. @default 'sha256' */
  algorithm?: string | undefined
  /** A `@sess/*` store or an express-session/@fastify/session callback store. @default a bounded MemoryStore */
  store?: Store | CallbackStore | undefined
  /** @default 'sessionId' */
  cookieName?: string | undefined
  /** @default '' (`'s:'` reads and writes express-session's cookies) */
  cookiePrefix?: string | undefined
  /** @default { path: '/', httpOnly: true, secure: true } */
  cookie?: FastifySessionCookieOptions | undefined
  /** Session id generator; receives the request. @default 192 random bits, base64url */
  idGenerator?: ((request?: FastifyRequest) => string) | undefined
  /** Store and send a cookie for a new session nobody wrote to. @default true */
  saveUninitialized?: boolean | undefined
  /** Re-send the cookie (a new expiry) on every response; the store's expiry refresh stays throttled. @default true */
  rolling?: boolean | undefined
}

/** The cookie options every session of the plugin starts from: core's attributes, lifetimes in @fastify/session's terms. */
export interface CookieDefaults extends Omit<ResolvedCookieOptions, 'persistent'> {
  /** Milliseconds, or null for a browser-session cookie. */
  maxAge: number | null
  /** A fixed expiry (only without maxAge). */
  expires: Date | null
}

const SECRET_REQUIRED =
  'the secret option is required, and must be a String, Array of Strings, or a signer object with .sign and .unsign methods'

/**
 * @fastify/session's registration checks, with its messages word for word (apps and tests match on them), as
 * {@link SessionConfigError}s with a code; and sess's own: `store: sealedCookie()` is refused.
 */
export function checkOptions(options: Partial<FastifySessionOptions> | undefined): SessionConfigError | undefined {
  const secret = options?.secret as unknown
  if (typeof secret === 'string') {
    if (secret.length < 32)
      return new SessionConfigError('SECRET_TOO_SHORT', 'the secret must have length 32 or greater')
  } else if (Array.isArray(secret)) {
    if (secret.length === 0) return new SessionConfigError('SECRET_MISSING', 'at least one secret is required')
  } else {
    const signer = secret as Partial<CookieSignerLike> | null | undefined
    if (typeof signer?.sign !== 'function' || typeof signer.unsign !== 'function') {
      return new SessionConfigError('SECRET_MISSING', SECRET_REQUIRED)
    }
  }
  if (isSealedCookie(options?.store) || (options !== undefined && 'sealed' in options)) {
    return new SessionConfigError(
      'OPTION_INVALID',
      '[sess] [fastify] Sealed cookies (store: sealedCookie(), formerly sealed: true) are not supported: the cookie holds a signed id, the session lives in a store (e.g. the default MemoryStore, or @sess/store-redis).',
    )
  }
  return undefined
}

const sameSiteOf = (value: SameSiteOption | undefined): CookieDefaults['sameSite'] => {
  if (value === true) return 'strict'
  if (value === false || value === undefined) return undefined
  const lower = String(value).toLowerCase()
  if (lower === 'lax' || lower === 'strict' || lower === 'none') return lower
  throw new SessionConfigError(
    'OPTION_INVALID',
    "[sess] cookie.sameSite must be true, false, 'lax', 'strict' or 'none'.",
  )
}

const secureOf = (value: FastifySessionCookieOptions['secure']): boolean | 'auto' =>
  value === 'auto' ? 'auto' : value === undefined ? true : Boolean(value)

/** Cookie options with @fastify/session's defaults; `maxAge` wins over `expires`. */
export function resolveCookie(cookie: FastifySessionCookieOptions | undefined, base?: CookieDefaults): CookieDefaults {
  const c = cookie ?? {}
  const maxAge = c.maxAge ?? (c.expires === undefined ? (base?.maxAge ?? null) : null)
  if (maxAge !== null && !(typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0)) {
    throw new SessionConfigError('OPTION_INVALID', `[sess] cookie.maxAge must be a positive number of milliseconds.`)
  }
  const expires = maxAge === null ? (c.expires ? new Date(c.expires) : (base?.expires ?? null)) : null
  return {
    path: c.path ?? base?.path ?? '/',
    domain: c.domain ?? base?.domain,
    httpOnly: c.httpOnly ?? base?.httpOnly ?? true,
    secure: 'secure' in c ? secureOf(c.secure) : (base?.secure ?? true),
    sameSite: 'sameSite' in c ? sameSiteOf(c.sameSite) : base?.sameSite,
    partitioned: c.partitioned ?? base?.partitioned ?? false,
    priority: c.priority ?? base?.priority,
    maxAge,
    expires,
  }
}
