import { getCookieValues } from './cookie/parse.js'
import type { StaticCookieAttributes } from './cookie/serialize.js'
import { cookieSerializer } from './cookie/serialize.js'
import { generateSessionId } from './crypto/random.js'
import { CookieSealer } from './crypto/seal.js'
import { CookieSigner } from './crypto/sign.js'
import { SessionStateError } from './errors.js'
import { recordProblem } from './store-kit/record.js'
import { parseSealedPayload, sealedSlot } from './internal/sealed-slot.js'
import { callStore } from './internal/store-call.js'
import type { ResolvedOptions, SessionEvent, SessionManagerOptions } from './options.js'
import { resolveOptions } from './options.js'
import type { SessionContext, SessionData } from './session.js'
import { Session } from './session.js'
import type { Store, StoredSession, UserSession } from './store.js'

/** What an adapter knows about the request. */
export interface LoadInput {
  /** The raw `Cookie` header, if any. */
  cookie?: string | null | undefined
  /** Whether the request arrived over HTTPS (decides `Secure` when `cookie.secure` is `'auto'`). */
  secure?: boolean | undefined
  /** Id generator for this request's session, overriding `generateId` (express-session's `genid(req)`). */
  generateId?: (() => string) | undefined
}

/** What an adapter must add to the response. */
export interface CommitResult {
  /** `Set-Cookie` header values to append (never replace the app's own). */
  setCookie: string[]
}

/** One request's session and the means to finish it. */
export interface SessionHandle<Data extends object = SessionData> {
  /** The session route handlers use. */
  readonly session: Session<Data>
  /** Awaits every store write, then returns the `Set-Cookie` values; call exactly once, before headers go out. */
  commit(): Promise<CommitResult>
  /**
   * Commits synchronously when no store call is due (the request changed nothing, or only read) and the cookie
   * value is at hand: returns the `Set-Cookie` values, as {@link commit} would. Returns undefined, changing nothing,
   * when the commit needs to wait; call {@link commit} then. Saves an adapter a deferred response on reads.
   */
  commitSync(): CommitResult | undefined
  /**
   * The `Set-Cookie` values the commit will produce given the current state, computed synchronously (for
   * synchronous header hooks). Undefined when a signature is not available synchronously yet.
   */
  peekSetCookie(): string[] | undefined
}

/** Creates handles per request and administers sessions across requests. */
export interface SessionManager<Data extends object = SessionData> {
  /** The resolved options (defaults applied). */
  readonly options: ResolvedOptions
  /** Loads the session a request's cookies name. Never throws for bad cookies; throws SessionStoreError on store failure. */
  load(input: LoadInput): Promise<SessionHandle<Data>>
  /** The live sessions bound to a user ("your devices"). Needs a store with `listByUser`. */
  listUserSessions(userId: string): Promise<UserSession[]>
  /** Destroys every session of a user, optionally except one (e.g. the current); resolves to how many. */
  destroyUserSessions(userId: string, options?: { except?: string | undefined }): Promise<number>
}

const MAX_COOKIE_VALUE_LENGTH = 4096
/** RFC 6265 §6.1 asks browsers to keep at least 4096 bytes per cookie (name, value and attributes). */
export const MAX_SET_COOKIE_BYTES = 4096
const EPOCH = 0

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
  const o = resolveOptions(options as SessionManagerOptions<unknown>)
  const signer = new CookieSigner(o.secrets, o.cookiePrefix, o.hmacSync)
  const sealer = o.sealed ? new CookieSealer(o.secrets, o.cookieName) : undefined
  const emit = (event: SessionEvent): void => {
    try {
      o.onEvent?.(event)
    } catch {
      // An observer must not break a request.
    }
  }
  const call = <T>(operation: string, run: () => Promise<T>): Promise<T> => callStore(operation, o.storeTimeout, run)

  /** The record if it is usable: present, well formed, unexpired. Schema validation is separate (it may be async). */
  const usable = (value: StoredSession | null): StoredSession | null => {
    if (value === null || value === undefined) return (emit({ type: 'session-missing' }), null)
    const problem = recordProblem(value)
    if (problem !== undefined) return (emit({ type: 'record-invalid', reason: problem }), null)
    const now = o.clock.now()
    if (value.expiresAt <= now || (o.absoluteTimeout !== null && value.createdAt + o.absoluteTimeout * 1000 <= now)) {
      return (emit({ type: 'session-expired' }), null)
    }
    return value
  }
  const validate = async (value: StoredSession): Promise<StoredSession | null> => {
    const result = await o.schema!['~standard'].validate(value.data)
    if (result.issues === undefined) return { ...value, data: result.value as Record<string, unknown> }
    emit({ type: 'data-invalid', issues: result.issues })
    if (o.onInvalidData === 'error') {
      throw new SessionStateError(
        'SESSION_INVALID',
        `[sess] Stored session data failed schema validation (${result.issues.length} issue(s)); migrate the data or use onInvalidData: 'discard'.`,
      )
    }
    return null
  }
  const check = (value: StoredSession | null): StoredSession | null | Promise<StoredSession | null> => {
    const session = usable(value)
    return session === null || o.schema === undefined ? session : validate(session)
  }

  const readFrom =
    (store: Store): SessionContext['read'] =>
    async (id, touch = false) => {
      if (touch && store.getAndTouch) {
        const policy = {
          now: o.clock.now(),
          idleTimeout: o.idleTimeout,
          absoluteTimeout: o.absoluteTimeout,
          touchAfter: o.touchAfter,
        }
        const got = await call('getAndTouch', () => store.getAndTouch!(id, policy))
        const checked = check(got?.session ?? null)
        const session = checked instanceof Promise ? await checked : checked
        return session === null ? null : { session, touched: got?.touched === true }
      }
      const checked = check(await call('get', () => store.get(id)))
      const session = checked instanceof Promise ? await checked : checked
      return session === null ? null : { session, touched: false }
    }

  const ctx: SessionContext = {
    options: o,
    store: o.store,
    sealed: false,
    cookieValue: (id) => signer.sign(id),
    cookieValueSync: (id) => signer.signSync(id),
    newId: o.generateId ?? generateSessionId,
    call,
    read: readFrom(o.store),
    emit,
  }

  /** Sealed mode: a context whose store is this request's cookie. */
  const sealedContext = (base: SessionContext, initial: { id: string; session: StoredSession } | undefined) => {
    const slot = sealedSlot(initial)
    const context: SessionContext = {
      ...base,
      store: slot,
      sealed: true,
      cookieValue: async () => {
        const payload = slot.payload()
        if (payload === undefined || sealer === undefined) throw new Error('[sess] internal: nothing to seal')
        return sealer.seal(payload)
      },
      cookieValueSync: () => undefined,
      read: readFrom(slot),
    }
    return context
  }

  const loadSealed = async (candidates: string[], base: SessionContext): Promise<Session<Data> | undefined> => {
    for (const value of candidates) {
      const opened = sealer && value.length <= MAX_COOKIE_VALUE_LENGTH ? await sealer.unseal(value) : null
      const parsed = opened ? parseSealedPayload(opened.payload) : undefined
      if (opened === null || parsed === undefined) {
        emit({ type: 'cookie-invalid' })
        continue
      }
      const session = await check(parsed.session as StoredSession)
      if (session !== null) {
        const c = sealedContext(base, { id: parsed.id, session })
        return new Session<Data>(c, parsed.id, session, opened.rotated, true)
      }
    }
    return undefined
  }

  const attributes = (secure: boolean): StaticCookieAttributes => {
    const c = o.cookie
    const forced =
      c.sameSite === 'none' ||
      c.partitioned ||
      o.cookieName.startsWith('__Secure-') ||
      o.cookieName.startsWith('__Host-')
    return {
      path: c.path,
      domain: c.domain,
      httpOnly: c.httpOnly,
      secure: c.secure === 'auto' ? secure || forced : c.secure,
      sameSite: c.sameSite,
      partitioned: c.partitioned,
      priority: c.priority,
    }
  }
  // The attribute text is fixed per manager: built once for plain HTTP and once for HTTPS requests.
  const serializers = [
    cookieSerializer(o.cookieName, attributes(false)),
    cookieSerializer(o.cookieName, attributes(true)),
  ]
  const expired = { maxAge: 0, expiresAtMs: EPOCH }

  const load = async (input: LoadInput): Promise<SessionHandle<Data>> => {
    const candidates = getCookieValues(input.cookie, o.cookieName)
    const c = input.generateId === undefined ? ctx : { ...ctx, newId: input.generateId }
    if (sealer !== undefined) {
      const session =
        (await loadSealed(candidates, c)) ??
        new Session<Data>(sealedContext(c, undefined), c.newId(), null, false, candidates.length > 0)
      return createHandle(session, input.secure === true)
    }
    let session: Session<Data> | undefined
    for (const value of candidates) {
      const verified =
        value.length > MAX_COOKIE_VALUE_LENGTH ? null : (signer.verifyCached(value) ?? (await signer.verify(value)))
      if (verified === null) {
        emit({ type: 'cookie-invalid' })
        continue
      }
      let record: { session: StoredSession; touched: boolean } | null
      try {
        record = await ctx.read(verified.id, true)
      } catch (error) {
        if (!o.failOpen || (error as SessionStateError).code === 'SESSION_INVALID') throw error
        emit({ type: 'store-error', error })
        break
      }
      if (record !== null) {
        session = new Session<Data>(c, verified.id, record.session, verified.rotated, true, record.touched)
        if (!verified.rotated) session.adoptSignedValue(value)
        break
      }
    }
    // A fresh session never adopts an id from the request: ids are always ours (fixation).
    session ??= new Session<Data>(c, c.newId(), null, false, candidates.length > 0)
    return createHandle(session, input.secure === true)
  }

  /** The Set-Cookie values for a cookie action; undefined when the value is not available (synchronously). */
  const cookieFor: CookieWriter = (session, secure, action, value, pending) => {
    if (action === 'none') return []
    const serialize = serializers[secure ? 1 : 0]!
    if (action === 'clear') return [serialize('', expired)]
    if (value === undefined) return undefined
    const header = serialize(value, session.cookieLifetime(o.clock.now(), pending))
    // Browsers drop a larger cookie silently; fail loudly instead (it only happens with sealed mode's payloads).
    if (header.length > MAX_SET_COOKIE_BYTES) {
      throw new SessionStateError(
        'COOKIE_TOO_LARGE',
        `[sess] The session cookie would be ${header.length} bytes, over the ${MAX_SET_COOKIE_BYTES} browsers keep; store less data in a sealed session, or use a server store.`,
      )
    }
    return [header]
  }
  const createHandle = (session: Session<Data>, secure: boolean): SessionHandle<Data> =>
    new Handle(session, secure, cookieFor)

  return {
    options: o,
    load,
    async listUserSessions(userId) {
      const store = o.store
      if (!store.listByUser) throw unsupported('listByUser')
      const now = o.clock.now()
      const list = await call('listByUser', () => store.listByUser!(userId))
      return list.filter((s) => recordProblem(s.session) === undefined && s.session.expiresAt > now)
    },
    async destroyUserSessions(userId, options) {
      const store = o.store
      if (!store.destroyByUser) throw unsupported('destroyByUser')
      return call('destroyByUser', () => store.destroyByUser!(userId, options))
    },
  }
}

function unsupported(method: string): SessionStateError {
  return new SessionStateError(
    'CAPABILITY_MISSING',
    `[sess] This store does not implement ${method}; use a store with the per-user index (memory, Redis, MongoDB).`,
  )
}

type CookieWriter = (
  session: Session<object>,
  secure: boolean,
  action: 'set' | 'clear' | 'none',
  value: string | undefined,
  pending: boolean,
) => string[] | undefined

/**
 * One request's handle. Its methods are own arrow functions, not prototype methods, so that
 * `const { session, commit } = await manager.load(...)` works (the documented pattern).
 */
class Handle<Data extends object> implements SessionHandle<Data> {
  readonly session: Session<Data>
  readonly #secure: boolean
  readonly #cookieFor: CookieWriter

  constructor(session: Session<Data>, secure: boolean, cookieFor: CookieWriter) {
    this.session = session
    this.#secure = secure
    this.#cookieFor = cookieFor
  }

  readonly commit = async (): Promise<CommitResult> => {
    const session = this.session
    const write = await session.commit()
    const action = session.cookieAction(write)
    const value = action === 'set' ? await session.signedValue() : undefined
    return { setCookie: this.#cookieFor(session, this.#secure, action, value, false) ?? [] }
  }

  readonly commitSync = (): CommitResult | undefined => {
    const session = this.session
    if (session.committed) return undefined
    const action = session.cookieAction('none')
    const value = action === 'set' ? session.signedValueSync() : undefined
    if (action === 'set' && value === undefined) return undefined
    if (!session.commitIfIdle()) return undefined
    return { setCookie: this.#cookieFor(session, this.#secure, action, value, false) ?? [] }
  }

  readonly peekSetCookie = (): string[] | undefined => {
    const session = this.session
    if (session.committed) return undefined
    const write = session.pendingWrite()
    const action = session.cookieAction(write)
    const value = action === 'set' ? session.signedValueSync() : undefined
    return this.#cookieFor(session, this.#secure, action, value, write !== 'none')
  }
}
