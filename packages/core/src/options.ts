import type { SyncHMAC } from './crypto/sign.js'
import type { CookieProblem } from './diagnostics.js'
import { invalidOption, SessionConfigError } from './errors.js'
import { isSealedCookie } from './codec/carried-codec.js'
import type { Clock } from './clock.js'
import { systemClock } from './clock.js'
import type { StandardSchemaV1 } from './schema.js'
import type { Store } from './store.js'
import type { ResolvedCookieOptions, SessionCookieOptions } from './cookie/cookie-options.js'
import { resolveCookieOptions } from './cookie/cookie-options.js'
import { MAX_LIFETIME_SECONDS } from './limits.js'
import { assertKnownOptions, assertOptionTypes, SESSION_OPTION_NAMES, SESSION_OPTION_TYPES } from './option-checks.js'

/** Something that happened to a request's session that is not an error, for logging and metrics. */
export type SessionEvent =
  | { type: 'cookie-invalid' }
  | { type: 'cookie-too-large' }
  | { type: 'cookie-rejected'; reason: CookieProblem }
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
  /** Where session records live (e.g. `memoryStore()`), or `sealedCookie()`: the whole session in the cookie. */
  store?: Store | undefined
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
  /**
   * Record the device that created a session, from what the adapter passes to `load()`, for "your devices". Off by
   * default: both are personal data. The user agent is cut to 512 characters. @default { userAgent: false, ip: false }
   */
  device?: DeviceOptions | undefined
}

/** Which device metadata a new session records (opt-in). */
export interface DeviceOptions {
  /** Record the request's `User-Agent`. @default false */
  userAgent?: boolean | undefined
  /** Record the client IP (as the adapter sees it: behind a proxy, only when the proxy is trusted). @default false */
  ip?: boolean | undefined
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  secrets: readonly string[]
  /** Minimum secret length, also applied to secrets given per request. */
  minSecretLength: number
  store: Store
  /** The store is `sealedCookie()`: the record travels in the cookie. */
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
  device: { userAgent: boolean; ip: boolean }
}

/** Default idle timeout: one day. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 86_400
/** Minimum secret length unless lowered explicitly. */
export const MIN_SECRET_LENGTH = 32

function seconds(name: string, value: number | undefined | null, fallback: number, min = 0, max = Infinity): number {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max} (400 days)`
    // 86400000 (a day in ms) is the classic slip from express-session's milliseconds.
    const ms =
      typeof value === 'number' && value > max && value / 1000 <= max ? ' Seconds, did you pass milliseconds?' : ''
    const got = typeof value === 'string' ? `the string '${value}'` : String(value)
    throw invalidOption(`Option ${name} must be a finite number of seconds ${range}; got ${got}.${ms}`)
  }
  return value
}

/** Validates a secret or a list of secrets (the first signs); throws `SECRET_MISSING` or `SECRET_TOO_SHORT`. */
export function resolveSecrets(secret: unknown, minLength: number): readonly string[] {
  const secrets = typeof secret === 'string' ? [secret] : secret
  if (!Array.isArray(secrets) || secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s === '')) {
    throw new SessionConfigError(
      'SECRET_MISSING',
      '[sess] Pass a secret of 32+ characters, or an array of them (the first signs).',
    )
  }
  if (secrets.some((s: string) => s.length < minLength)) {
    throw new SessionConfigError(
      'SECRET_TOO_SHORT',
      `[sess] Every secret must be at least ${minLength} characters long (random).`,
    )
  }
  return secrets as readonly string[]
}

/** Applies defaults and validates; throws {@link SessionConfigError} describing what to fix. */
export function resolveOptions(options: SessionManagerOptions<unknown>): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('Pass options: createSessionManager({ secret, store }).')
  assertKnownOptions(options, SESSION_OPTION_NAMES, { where: 'createSessionManager', typosOnly: true })
  assertOptionTypes(options as unknown as Record<string, unknown>, SESSION_OPTION_TYPES)
  if (options.clock !== undefined && typeof options.clock.now !== 'function')
    throw invalidOption('Option clock must be an object with a now() method (epoch ms).')
  const minSecretLength = seconds('minSecretLength', options.minSecretLength, MIN_SECRET_LENGTH)
  const secrets = resolveSecrets(options.secret, minSecretLength)
  const store = options.store
  if (typeof store?.get !== 'function' || typeof store.set !== 'function' || typeof store.destroy !== 'function')
    throw invalidOption('Pass a store with get, set and destroy (e.g. memoryStore()).')
  const { cookieName, cookie } = resolveCookieOptions(options.cookie ?? {})
  const max = MAX_LIFETIME_SECONDS
  const idleTimeout = seconds('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT_SECONDS, 1, max)
  const absoluteTimeout =
    options.absoluteTimeout == null ? null : seconds('absoluteTimeout', options.absoluteTimeout, 0, 1, max)
  const rolling = options.rolling ?? false
  const strict = options.strict ?? false
  const sealed = isSealedCookie(store)
  if (strict && !sealed && typeof store.patch !== 'function')
    throw invalidOption('strict mode needs a store with patch().')
  const schema = options.schema as StandardSchemaV1<unknown, unknown> | undefined
  if (schema !== undefined && typeof schema?.['~standard']?.validate !== 'function') {
    throw invalidOption('schema must implement Standard Schema (zod 3.24+, valibot, ...).')
  }
  const onInvalidData = options.onInvalidData ?? 'discard'
  if (onInvalidData !== 'discard' && onInvalidData !== 'error')
    throw invalidOption("onInvalidData must be 'discard' or 'error'.")
  return {
    secrets,
    minSecretLength,
    store,
    sealed,
    cookieName,
    cookie,
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
    device: { userAgent: options.device?.userAgent === true, ip: options.device?.ip === true },
  }
}
