import { andThen } from './internal/awaitable.js'
import { userSessions } from './admin.js'
import type { UserSessions } from './admin.js'
import { getCookieValues } from './cookie/parse.js'
import type { ResponseCookie } from './cookie/response-cookie.js'
import type { DiagnosticInput } from './diagnostics.js'
import { cookieProblems } from './diagnostics.js'
import { generateSessionId } from './crypto/random.js'
import type { SessionHandle } from './handle.js'
import { Handle } from './handle.js'
import type { ResolvedOptions, SessionEvent, SessionManagerOptions } from './options.js'
import { resolveOptions } from './options.js'
import { RecordReader } from './reading/record-reader.js'
import type { CookieOverrides } from './request-inputs.js'
import { RequestInputs } from './request-inputs.js'
import { MAX_LIFETIME_SECONDS } from './limits.js'
import { SessionStateError } from './errors.js'
import type { PlanRules } from './session/plan.js'
import { loadState } from './reading/load-state.js'
import type { SessionData } from './session/session.js'
import { Session } from './session/session.js'
import { recordDevice } from './session/devices.js'
import type { SessionServices, SessionState } from './session/state.js'
import type { CookieCodec } from './codec/codec.js'
import { verifiedCandidate } from './codec/verified-id.js'

/** What an adapter knows about the request. */
export interface LoadInput {
  /** The raw `Cookie` header, if any. */
  cookie?: string | null | undefined
  /**
   * For Node adapters with a signed cookie format of their own (Fastify's, through @fastify/cookie's signer): the
   * session id the adapter has already verified from the request's cookie, read instead of `cookie`. Never an id that
   * was not verified: a client-chosen id would be adopted (fixation). Signed mode only; ignored by the edge build.
   */
  verifiedId?: string | undefined
  /** Whether the request arrived over HTTPS (decides `Secure` when `cookie.secure` is `'auto'`). */
  secure?: boolean | undefined
  /** Id generator for this request's session, overriding `generateId` (express-session's `genid(req)`). */
  generateId?: (() => string) | undefined
  /**
   * This request's secret or secrets (the first signs), e.g. from a Workers binding, overriding `secret`. Validated
   * like it; keys are imported once per distinct list and kept in a bounded cache.
   */
  secret?: string | readonly string[] | undefined
  /** Cookie attributes for this response, over the configured ones (validated together, cached per distinct set). */
  attributes?: CookieOverrides | undefined
  /**
   * This request's default cookie lifetime in seconds (fractions kept), over `idleTimeout`, for a session without
   * its own (`setMaxAge`); `null` for a browser-session cookie.
   */
  maxAge?: number | null | undefined
  /** The request's `User-Agent`; a new session records it only with the `device.userAgent` option. */
  userAgent?: string | null | undefined
  /** The client's IP; a new session records it only with the `device.ip` option. */
  ip?: string | null | undefined
  /** Diagnostics (read only with `onEvent`): the request's path, to report a cookie `Path` that does not cover it. */
  path?: string | undefined
  /** Diagnostics: `X-Forwarded-Proto` said HTTPS but the adapter does not trust the proxy. */
  untrustedHttps?: boolean | undefined
}

/** Creates handles per request: what an adapter that offers no per-user administration needs. */
export interface SessionLoader<Data extends object = SessionData> {
  /** The resolved options (defaults applied). */
  readonly options: ResolvedOptions
  /** Loads the session a request's cookies name. Never throws for bad cookies; throws SessionStoreError on store failure. */
  load(input: LoadInput): Promise<SessionHandle<Data>>
  /**
   * {@link load}, synchronously when every step is (a cached signature check, a store that answers synchronously
   * such as the memory store, no schema): the handle itself, else a Promise of it. A failure is always a rejected
   * Promise, never a throw. For adapters that can go on at once: `const h = manager.open(input)`, then
   * `h instanceof Promise ? h.then(go, fail) : go(h)` (the counterpart of `handle.finish()`).
   */
  open(input: LoadInput): SessionHandle<Data> | Promise<SessionHandle<Data>>
}

/** Creates handles per request and administers sessions across requests. */
export interface SessionManager<Data extends object = SessionData> extends SessionLoader<Data>, UserSessions {}

/**
 * Creates a session manager: validates options once (throwing {@link SessionConfigError}), imports keys lazily once
 * per secret, and loads/commits sessions for an adapter.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ secret: process.env.SESSION_SECRET, store: memoryStore() })
 * const handle = await manager.load({ cookie: request.headers.get('cookie'), secure: url.protocol === 'https:' })
 * handle.session.set('views', (handle.session.get('views') ?? 0) + 1)
 * const { setCookie } = await handle.commit()
 * for (const value of setCookie) response.headers.append('set-cookie', value)
 * ```
 */
export function createSessionManager<Data extends object = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionManager<Data> {
  const loader = createSessionLoader(options)
  return { ...loader, ...userSessions(loader.options) }
}

/**
 * {@link createSessionManager} without the per-user administration (`listUserSessions(userId)`,
 * `destroyUserSessions(userId)`), for adapters that do not expose the manager: an edge bundle then leaves that code
 * out. Sessions keep their own per-user methods (`session.listUserSessions()`).
 */
export function createSessionLoader<Data extends object = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionLoader<Data> {
  const o = resolveOptions(options as SessionManagerOptions<unknown>)
  const emit = (event: SessionEvent): void => {
    try {
      o.onEvent?.(event)
    } catch {
      // An observer must not break a request.
    }
  }
  const services: SessionServices = {
    options: o,
    rules: {
      idleTimeout: o.idleTimeout,
      absoluteTimeout: o.absoluteTimeout,
      touchAfter: o.touchAfter,
      rolling: o.rolling,
      saveUninitialized: o.saveUninitialized,
      persistent: o.cookie.persistent,
      recordInCookie: o.sealed,
    },
    reader: new RecordReader(o, emit),
    emit,
  }
  const inputs = new RequestInputs(o)
  const defaultId = o.generateId ?? generateSessionId

  const handleFor = (input: LoadInput, codec: CookieCodec, cookie: ResponseCookie, state: SessionState) => {
    if (state.lifecycle.phase === 'unsaved') recordDevice(state, o.device, input)
    const session = new Session<Data>(state)
    const secure = input.secure === true
    const diagnose = o.onEvent && ((c: ResponseCookie) => report(emit, c, { ...input, secure }))
    return new Handle({ session, state, codec, cookie, secure, diagnose })
  }
  // Not an async function: when the state loads synchronously (memory store, cached verification) the handle is
  // built at once, with no Promise at all.
  const open = (input: LoadInput): SessionHandle<Data> | Promise<SessionHandle<Data>> => {
    try {
      const requested = inputs.codecFor(input.secret)
      const verified = verifiedCandidate(input, requested)
      const codec = verified?.codec ?? requested
      const cookie = inputs.cookieFor(input.attributes)
      const rules = input.maxAge === undefined ? undefined : requestRules(services.rules, input.maxAge)
      const candidates = verified?.candidates ?? getCookieValues(input.cookie, o.cookieName)
      const state = loadState(services, codec, candidates, input.generateId ?? defaultId, rules)
      return andThen(state, (s) => handleFor(input, codec, cookie, s))
    } catch (error) {
      return Promise.reject(error)
    }
  }
  const load = (input: LoadInput): Promise<SessionHandle<Data>> => Promise.resolve(open(input))
  return { options: o, load, open }
}

function report(emit: (e: SessionEvent) => void, cookie: ResponseCookie, input: DiagnosticInput): void {
  for (const reason of cookieProblems(cookie.name, cookie.options, input)) emit({ type: 'cookie-rejected', reason })
}

/** The plan rules of a request with its own default lifetime. */
function requestRules(rules: PlanRules, maxAge: number | null): PlanRules {
  if (maxAge === null) return { ...rules, persistent: false }
  if (!(typeof maxAge === 'number' && maxAge > 0 && maxAge <= MAX_LIFETIME_SECONDS)) {
    throw new SessionStateError(
      'ARGUMENT_INVALID',
      `[sess] load({ maxAge }) takes a number of seconds > 0 and <= ${MAX_LIFETIME_SECONDS} (400 days), or null.`,
    )
  }
  return { ...rules, idleTimeout: maxAge, persistent: true }
}
