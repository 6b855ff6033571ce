import type { Session as CoreSession, SessionHandle, SessionManager, UserSession } from '@sess/core'
import { SessionStateError } from '@sess/core'
import type { CookieOptions } from './cookie.js'
import { Cookie, linkCookie, resetCookie } from './cookie.js'
import { sameSiteOf } from './cookie-settings.js'
import type { Callback } from './stores.js'

/** Something the Express adapter reports through `onEvent` besides core's events. */
export type ExpressSessionEvent = {
  /** The app changed `req.session` after its response was sent (e.g. in a timer): the change is ignored. */
  type: 'write-after-response'
  /** What was attempted: `set`, `delete`, `save`, `regenerate`, `cookie.maxAge`, ... (never a key or value). */
  operation: string
}

/** What every request of one middleware shares. */
export interface SessionContext {
  manager: SessionManager<object>
  now(): number
  onEvent: ((event: ExpressSessionEvent) => void) | undefined
  /** The error callbacks get for a failure (a store's own error, for express-session stores). */
  error(error: unknown): unknown
}

/** One request's session state, kept on the Proxy's target. */
class Attached {
  /** destroy() ran: the request has no session on purpose (not an `unset`). */
  destroyed = false
  /** The app changed the session before a save(), reload() or regenerate() of this request. */
  modified = false
  /** `req.session.cookie`, built when the app first reads it. */
  cookie: Cookie | undefined
  /** touch() ran before the cookie view was built. */
  touched = false
  readonly core: CoreSession<object>

  constructor(
    readonly context: SessionContext,
    readonly handle: SessionHandle<object>,
    readonly req: { session?: unknown; sessionID?: unknown },
    /** The cookie options of this request, as express-session takes them. */
    readonly options: CookieOptions,
    /** The request is HTTPS (resolves `secure: 'auto'` and `sameSite: 'auto'`). */
    readonly secure: boolean,
  ) {
    this.core = handle.session
  }

  get manager(): SessionManager<object> {
    return this.context.manager
  }

  error(error: unknown): unknown {
    return this.context.error(error)
  }

  /** Reports a write after the response; true when the session is closed (the write is then ignored). */
  late(operation: string): boolean {
    if (!this.core.committed) return false
    try {
      this.context.onEvent?.({ type: 'write-after-response', operation })
    } catch {
      // An observer must not break the process either.
    }
    return true
  }

  cookieView(): Cookie {
    if (this.cookie !== undefined) return this.cookie
    const c = this.options
    const cookie = new Cookie()
    cookie.path = c.path ?? '/'
    cookie.domain = c.domain
    cookie.httpOnly = c.httpOnly ?? true
    // As express-session shows them: 'auto' resolved for this request.
    cookie.secure = c.secure === 'auto' ? this.secure : c.secure
    cookie.sameSite = sameSiteOf(c, this.secure)
    cookie.partitioned = c.partitioned
    cookie.priority = c.priority
    const late = (operation: string): boolean => this.late(operation)
    linkCookie(cookie, { core: this.core, handle: this.handle, changed: this.touched, now: this.context.now, late })
    this.cookie = cookie
    return cookie
  }
}

// A request's session keeps its state on the Proxy's target under this symbol: the Proxy hides it from keys, JSON
// and spreads, and it costs no WeakMap entry per request. Detached sessions (built from a store record) keep
// their id in a WeakMap instead, as they are plain objects that apps inspect.
const STATE = Symbol('@sess/express state')
type Holder = { [STATE]?: Attached }
const stateOf = (session: Session): Attached | undefined => (session as Holder)[STATE]
const detachedIds = new WeakMap<Session, string | undefined>()

/** Options of {@link Session.regenerate}. */
export interface RegenerateOptions {
  /** Carry the data over to the new id (login without losing the cart). @default false */
  keepData?: boolean | undefined
}

/**
 * `req.session`: data as plain properties (`req.session.views++`, nested objects tracked) next to
 * express-session's methods. Each method takes a callback as in express-session and returns a Promise without one.
 */
export class Session {
  /** The cookie: read `maxAge`/`expires`, or set them to change this session's lifetime. */
  declare cookie: Cookie

  /** A detached session, as express-session's `Store#createSession` builds from a stored record. */
  constructor(req?: { sessionID?: string; sessionStore?: unknown }, data?: Record<string, unknown>) {
    const { cookie, ...rest } = data ?? {}
    Object.assign(this, rest)
    this.cookie = cookie instanceof Cookie ? cookie : new Cookie(cookie as CookieOptions | undefined)
    detachedIds.set(this, req?.sessionID)
  }

  /** The session id; it changes on regenerate. Never log it. */
  get id(): string {
    const state = stateOf(this)
    return state ? state.core.id : String(detachedIds.get(this))
  }

  /** Replaces the session with a new one under a new id and deletes the old record (do it at login: fixation). */
  regenerate(callback: Callback): this
  regenerate(options: RegenerateOptions, callback: Callback): this
  regenerate(options?: RegenerateOptions): Promise<void>
  regenerate(options?: RegenerateOptions | Callback, callback?: Callback): this | Promise<void> {
    const cb = typeof options === 'function' ? options : callback
    const keepData = typeof options === 'object' && options?.keepData === true
    return run(this, cb, 'regenerate', async (state) => {
      state.modified ||= state.core.isModified()
      await state.core.regenerate({ keepData })
      state.req.session = this
      state.req.sessionID = state.core.id
      state.destroyed = false
    })
  }

  /** Deletes the session and expires its cookie; `req.session` is gone afterwards, as in express-session. */
  destroy(callback: Callback): this
  destroy(): Promise<void>
  destroy(callback?: Callback): this | Promise<void> {
    const state = stateOf(this)
    if (state && !state.core.committed) delete state.req.session
    return run(this, callback, 'destroy', async (s) => {
      s.destroyed = true
      await s.core.destroy()
      s.req.sessionID = s.core.id
    })
  }

  /** Re-reads the session from the store, dropping unsaved changes; fails with `SESSION_MISSING` if it is gone. */
  reload(callback: Callback): this
  reload(): Promise<void>
  reload(callback?: Callback): this | Promise<void> {
    return run(this, callback, 'reload', async (state) => {
      state.modified ||= state.core.isModified()
      const found = await state.core.reload()
      state.req.sessionID = state.core.id
      // express-session's own message, which apps match on; the code says what happened.
      if (!found) throw new SessionStateError('SESSION_MISSING', 'failed to load session')
    })
  }

  /** Writes the session now (before a redirect, say); the response still waits for any later change. */
  save(callback: Callback): this
  save(): Promise<void>
  save(callback?: Callback): this | Promise<void> {
    return run(this, callback, 'save', (state) => {
      state.modified ||= state.core.isModified()
      return state.core.save()
    })
  }

  /** Refreshes the expiry at the end of this request. Synchronous and chainable, as in express-session. */
  touch(callback?: Callback): this {
    const state = stateOf(this)
    if (state !== undefined && !state.late('touch')) {
      state.core.touch()
      // What the app reads changes at once (express-session resets maxAge here); the store write waits for the end.
      if (state.cookie !== undefined) resetCookie(state.cookie)
      else state.touched = true
    }
    if (callback) queueMicrotask(() => callback())
    return this
  }

  /** Resets the cookie's `maxAge` to its `originalMaxAge` (the same as {@link touch}). */
  resetMaxAge(callback?: Callback): this {
    return this.touch(callback)
  }

  /** Binds the session to a user (`null` unbinds), so {@link destroyUserSessions} can log the user out everywhere. */
  setUser(userId: string | null): this {
    const state = attached(this)
    if (!state.late('setUser')) state.core.setUser(userId)
    return this
  }

  /** The live sessions of a user (this session's user by default): "your devices". Needs a store with a user index. */
  listUserSessions(userId?: string): Promise<UserSession[]> {
    const state = attached(this)
    return state.manager.listUserSessions(userOf(state, userId))
  }

  /** Destroys every session of a user (this one's by default), optionally except this one; resolves to how many. */
  destroyUserSessions(options?: { userId?: string | undefined; exceptCurrent?: boolean | undefined }): Promise<number> {
    const state = attached(this)
    const except = options?.exceptCurrent ? state.core.id : undefined
    return state.manager.destroyUserSessions(userOf(state, options?.userId), { except })
  }
}

// Not a private method: `this` is the Proxy around the session, which private members reject.
function run<S extends Session>(
  session: S,
  callback: Callback | undefined,
  operation: string,
  body: (state: Attached) => Promise<void>,
): S | Promise<void> {
  let promise: Promise<void>
  try {
    const state = attached(session)
    // Started synchronously, so a save() not awaited before res.end() still runs before the commit. After the
    // response it does nothing (reported through onEvent): throwing from a timer would end the process.
    promise = state.late(operation) ? Promise.resolve() : body(state)
  } catch (error) {
    promise = Promise.reject(error)
  }
  if (callback === undefined) return promise
  const state = stateOf(session)
  promise.then(
    () => queueMicrotask(() => callback()),
    (error) => queueMicrotask(() => callback(state === undefined ? error : state.error(error))),
  )
  return session
}

function attached(session: Session): Attached {
  const state = stateOf(session)
  if (state === undefined) {
    throw new TypeError('[sess] [express] Only req.session can be changed; this session was read from a store.')
  }
  return state
}

function userOf(state: Attached, userId: string | undefined): string {
  const id = userId ?? state.core.userId
  if (id === undefined) throw new TypeError('[sess] [express] Pass a user id, or call setUser() on this session first.')
  return id
}

// Methods, `id`, `cookie`, Object.prototype members and symbols live on the target; everything else is data.
const own = (target: Session, key: string | symbol): boolean =>
  typeof key === 'symbol' || key in target || key === 'cookie'
const dataOf = (target: Session) => (target as Holder)[STATE]!.core.data as Record<string | symbol, unknown>
// The cookie view is built on first use: most requests never read it.
const cookieOf = (target: Session): Cookie => {
  if (!Object.hasOwn(target, 'cookie')) target.cookie = (target as Holder)[STATE]!.cookieView()
  return target.cookie
}

// One handler for every request's Proxy: the target carries the state, so no closures are made per request.
const handler: ProxyHandler<Session> = {
  get: (t, key, receiver) =>
    key === 'cookie' ? cookieOf(t) : own(t, key) ? Reflect.get(t, key, receiver) : dataOf(t)[key],
  set: (t, key, value, receiver) => {
    if (own(t, key)) return Reflect.set(t, key, value, receiver)
    const state = (t as Holder)[STATE]!
    if (state.late('set')) return true
    const core = state.core as unknown as CoreSession<Record<string, unknown>>
    // The same primitive again is no change, as express-session compares the session before and after.
    if ((value === null || typeof value !== 'object') && typeof key === 'string' && core.has(key)) {
      if (Object.is(core.get(key), value)) return true
    }
    return Reflect.set(dataOf(t), key, value)
  },
  has: (t, key) => key in t || key in dataOf(t),
  deleteProperty: (t, key) =>
    own(t, key)
      ? Reflect.deleteProperty(t, key)
      : (t as Holder)[STATE]!.late('delete') || Reflect.deleteProperty(dataOf(t), key),
  ownKeys: (t) => ['cookie', ...Reflect.ownKeys(dataOf(t))],
  getOwnPropertyDescriptor: (t, key) => {
    if (key === 'cookie') cookieOf(t)
    return own(t, key) ? Reflect.getOwnPropertyDescriptor(t, key) : Reflect.getOwnPropertyDescriptor(dataOf(t), key)
  },
  defineProperty: (t, key, descriptor) =>
    own(t, key) ? Reflect.defineProperty(t, key, descriptor) : Reflect.defineProperty(dataOf(t), key, descriptor),
}

// console.log(req.session) inspects the Proxy's target, which holds no data: show what the app would see.
// A detached session (or the view built here) is shown as it is.
Object.defineProperty(Session.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Session) {
    const state = stateOf(this)
    if (state === undefined) return this
    return Object.assign(Object.create(Session.prototype), { cookie: this.cookie.data }, state.core.toJSON())
  },
  configurable: true,
  writable: true,
})

/**
 * The `req.session` of one request: a {@link Session} whose unknown properties are the core session's data, so
 * `req.session.views++` and `req.session.cart.items.push(x)` are tracked and saved.
 */
export function attachSession(
  context: SessionContext,
  handle: SessionHandle<object>,
  req: { session?: unknown; sessionID?: unknown },
  options: CookieOptions,
  secure: boolean,
): Session {
  const target = Object.create(Session.prototype) as Session & Holder
  target[STATE] = new Attached(context, handle, req, options, secure)
  return new Proxy(target, handler)
}

/** The request's cookie view if the app has read it (then its attributes may have changed), else undefined. */
export function builtCookie(session: Session): Cookie | undefined {
  return stateOf(session)?.cookie
}

/** Whether the app changed the session in this request, including before a save() or reload(). */
export function modifiedInRequest(session: Session): boolean {
  const state = stateOf(session)
  return state !== undefined && (state.modified || state.core.isModified())
}

/** Whether the app changed the session before a save(), reload() or regenerate() of this request. */
export function modifiedBeforeSave(session: Session): boolean {
  return stateOf(session)?.modified === true
}

/** Whether `destroy()` removed `req.session` (rather than the app unsetting it). */
export function destroyedByApi(session: Session): boolean {
  return stateOf(session)?.destroyed === true
}
