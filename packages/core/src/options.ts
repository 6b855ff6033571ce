import type { SyncHMAC } from './crypto/sign.js'
import { SessionConfigError, SessionStateError } from './errors.js'
import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
import type { StandardSchemaV1 } from './schema.js'
import type { Store } from './store.js'

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

/** Something that happened to a request's session that is not an error, for logging and metrics. */
export type SessionEvent =
  | { type: 'cookie-invalid' }
  | { type: 'session-missing' }
  | { type: 'session-expired' }
  | { type: 'record-invalid'; reason: string }
  | { type: 'data-invalid'; issues: ReadonlyArray<{ message: string }> }
  | { type: 'patch-missing' }
  | { type: 'store-error'; error: unknown }

/** Options of {@link createSessionManager}. Durations are in seconds. */
export interface SessionManagerOptions<Data = Record<string, unknown>> {
  /** Secret(s) for signing the cookie. The first signs; all verify (rotation). */
  secret: string | readonly string[]
  /** Where session records live. Not used (and optional) in `sealed` mode. */
  store?: Store | undefined
  /**
   * Sealed-cookie mode: no store; the whole session travels in the cookie, encrypted and authenticated with
   * AES-256-GCM (keys derived from the secrets with HKDF, rotated like signing secrets). For edge apps without
   * storage. It cannot revoke a session before it expires, and the cookie is limited to 4096 bytes (about 2.9 kB of
   * JSON data). @default false
   */
  sealed?: boolean | undefined
  /** Cookie attributes. */
  cookie?: SessionCookieOptions | undefined
  /** Text before the id in the cookie value: `'s:'` is express-session's format, `''` @fastify/session's. @default 's:' */
  cookiePrefix?: string | undefined
  /** Idle timeout in seconds: a session unused this long expires. @default 86400 */
  idleTimeout?: number | undefined
  /** Absolute timeout in seconds from creation, never extended by activity; `null` for none. @default null */
  absoluteTimeout?: number | null | undefined
  /**
   * Minimum extension in seconds before an unmodified session's expiry is refreshed ("touched"), so a busy user
   * costs one store write per window rather than one per request. @default idleTimeout / 10, or 0 when `rolling`
   */
  touchAfter?: number | undefined
  /** Refresh the expiry and send the cookie on every response of an existing session. @default false */
  rolling?: boolean | undefined
  /** Store and send a cookie for a new session even when nothing was written to it. @default false */
  saveUninitialized?: boolean | undefined
  /** Reject a write whose base version is stale (compare-and-set) instead of last-writer-wins. Needs `store.patch`. @default false */
  strict?: boolean | undefined
  /** Validates data on load; with it, `Data` is the schema's output type. @default undefined */
  schema?: StandardSchemaV1<unknown, Data> | undefined
  /** A record failing `schema`: `'discard'` gives a fresh session, `'error'` fails the request. @default 'discard' */
  onInvalidData?: 'discard' | 'error' | undefined
  /** Seconds a store call may take before it fails with `STORE_TIMEOUT`; `0` waits forever. @default 5 */
  storeTimeout?: number | undefined
  /** On a failing store read, continue with a fresh session instead of failing the request. @default false */
  failOpen?: boolean | undefined
  /** Session id generator. @default 192 random bits, base64url */
  generateId?: (() => string) | undefined
  /** Minimum secret length in characters. Lower it only for compatibility with existing secrets. @default 32 */
  minSecretLength?: number | undefined
  /** Optional synchronous HMAC (e.g. from `node:crypto`) so cookies can be signed in synchronous header hooks. */
  hmacSync?: SyncHMAC | undefined
  /** Observes invalid cookies, expired or invalid records and fail-open store errors. Never given ids or secrets. */
  onEvent?: ((event: SessionEvent) => void) | undefined
  /** Time source; tests pass a fake. @default Date.now */
  clock?: Clock | undefined
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

/** Options after defaults and validation. */
export interface ResolvedOptions {
  secrets: readonly string[]
  store: Store
  sealed: boolean
  cookieName: string
  cookie: ResolvedCookieOptions
  cookiePrefix: string
  idleTimeout: number
  absoluteTimeout: number | null
  touchAfter: number
  rolling: boolean
  saveUninitialized: boolean
  strict: boolean
  schema: StandardSchemaV1<unknown, unknown> | undefined
  onInvalidData: 'discard' | 'error'
  storeTimeout: number
  failOpen: boolean
  generateId: (() => string) | undefined
  hmacSync: SyncHMAC | undefined
  onEvent: ((event: SessionEvent) => void) | undefined
  clock: Clock
}

// Sealed mode keeps records in the cookie; this stands in for the store and is never called.
const NO_STORE: Store = {
  get: () => Promise.reject(noStore()),
  set: () => Promise.reject(noStore()),
  destroy: () => Promise.reject(noStore()),
}
function noStore(): SessionStateError {
  return new SessionStateError('CAPABILITY_MISSING', '[sess] Sealed-cookie mode has no store.')
}

/** Default cookie name of new APIs (the Express adapter keeps `connect.sid`). */
export const DEFAULT_COOKIE_NAME = 'sid'
/** Default idle timeout: one day. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 86_400
/** Minimum secret length unless lowered explicitly. */
export const MIN_SECRET_LENGTH = 32

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

function invalid(message: string): SessionConfigError {
  return new SessionConfigError('OPTION_INVALID', `[sess] ${message}`)
}

function seconds(name: string, value: number | undefined | null, fallback: number, min = 0): number {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalid(`Option ${name} must be a finite number of seconds >= ${min}; got ${String(value)}.`)
  }
  return value
}

/** Applies defaults and validates; throws {@link SessionConfigError} describing what to fix. */
export function resolveOptions(options: SessionManagerOptions<unknown>): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('Pass an options object with secret and store.')
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret
  if (!Array.isArray(secrets) || secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s === '')) {
    throw new SessionConfigError(
      'SECRET_MISSING',
      '[sess] Pass a secret: a string of at least 32 characters, or an array of them for rotation (the first signs).',
    )
  }
  const minLength = seconds('minSecretLength', options.minSecretLength, MIN_SECRET_LENGTH)
  if (secrets.some((s) => s.length < minLength)) {
    throw new SessionConfigError(
      'SECRET_TOO_SHORT',
      `[sess] Every secret must be at least ${minLength} characters long; generate one with crypto.getRandomValues.`,
    )
  }
  const sealed = options.sealed === true
  const store = sealed ? NO_STORE : options.store
  if (
    !store ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.destroy !== 'function'
  ) {
    throw invalid('Pass a store with get, set and destroy methods (e.g. memoryStore() from @sess/store-memory).')
  }
  const c = options.cookie ?? {}
  const cookieName = c.name ?? DEFAULT_COOKIE_NAME
  if (!TOKEN.test(cookieName))
    throw invalid(`Cookie name must be an RFC 6265 token; got ${JSON.stringify(cookieName)}.`)
  const path = c.path ?? '/'
  if (!path.startsWith('/') || /[;\s]/.test(path))
    throw invalid('cookie.path must start with "/" and hold no ";" or spaces.')
  if (c.domain !== undefined && !/^\.?[A-Za-z0-9.-]+$/.test(c.domain))
    throw invalid('cookie.domain must be a host name.')
  const secure = c.secure ?? 'auto'
  if (secure !== 'auto' && typeof secure !== 'boolean') throw invalid("cookie.secure must be true, false or 'auto'.")
  const sameSite = c.sameSite === false ? undefined : (c.sameSite ?? 'lax')
  if (sameSite !== undefined && sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none') {
    throw invalid("cookie.sameSite must be 'lax', 'strict', 'none' or false.")
  }
  if (sameSite === 'none' && secure === false)
    throw invalid("cookie.sameSite 'none' requires a Secure cookie; set cookie.secure to true or 'auto'.")
  if (c.partitioned && secure === false) throw invalid('cookie.partitioned requires a Secure cookie.')
  if (cookieName.startsWith('__Secure-') && secure === false)
    throw invalid('A __Secure- cookie must be Secure; set cookie.secure to true.')
  if (cookieName.startsWith('__Host-') && (secure === false || path !== '/' || c.domain !== undefined)) {
    throw invalid('A __Host- cookie must be Secure, have path "/" and no domain.')
  }
  if (c.priority !== undefined && !['low', 'medium', 'high'].includes(c.priority)) {
    throw invalid("cookie.priority must be 'low', 'medium' or 'high'.")
  }
  const idleTimeout = seconds('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT_SECONDS, 1)
  const absoluteTimeout =
    options.absoluteTimeout == null ? null : seconds('absoluteTimeout', options.absoluteTimeout, 0, 1)
  const rolling = options.rolling ?? false
  const strict = options.strict ?? false
  if (strict && !sealed && typeof store.patch !== 'function') throw invalid('strict mode needs a store with patch().')
  const schema = options.schema as StandardSchemaV1<unknown, unknown> | undefined
  if (schema !== undefined && typeof schema?.['~standard']?.validate !== 'function') {
    throw invalid('schema must implement Standard Schema (zod 3.24+, valibot, arktype, ...).')
  }
  const onInvalidData = options.onInvalidData ?? 'discard'
  if (onInvalidData !== 'discard' && onInvalidData !== 'error')
    throw invalid("onInvalidData must be 'discard' or 'error'.")
  return {
    secrets,
    store,
    sealed,
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
    cookiePrefix: options.cookiePrefix ?? 's:',
    idleTimeout,
    absoluteTimeout,
    touchAfter: seconds('touchAfter', options.touchAfter, rolling ? 0 : idleTimeout / 10),
    rolling,
    saveUninitialized: options.saveUninitialized ?? false,
    strict,
    schema,
    onInvalidData,
    storeTimeout: seconds('storeTimeout', options.storeTimeout, 5),
    failOpen: options.failOpen ?? false,
    generateId: options.generateId,
    hmacSync: options.hmacSync,
    onEvent: options.onEvent,
    clock: options.clock ?? systemClock,
  }
}
