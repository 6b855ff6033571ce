import type { Session as CoreSession, SessionManager, UserSession } from '@sess/core'
import { SessionStateError, serializeCookie } from '@sess/core'
import type { Callback } from './stores.js'

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
  sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined
  /** CHIPS partitioned cookie. @default false */
  partitioned?: boolean | undefined
  /** @default undefined */
  priority?: 'low' | 'medium' | 'high' | undefined
}

interface CookieLink {
  core: CoreSession<object>
  now(): number
  /** The default `originalMaxAge` in ms. */
  maxAge: number | null
  /** `maxAge`/`expires` were set in this request: the stored expiry is stale. */
  changed: boolean
}

let linkCookie: (cookie: Cookie, link: CookieLink) => void

/**
 * `req.session.cookie`: express-session's `Cookie`. Attached to a request, `maxAge` and `expires` read and set the
 * session's own lifetime ("remember me"); detached (`new Cookie(options)`), it is a plain value as in express-session.
 */
export class Cookie {
  path = '/'
  httpOnly = true
  domain: string | undefined
  secure: boolean | 'auto' | undefined
  sameSite: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined
  partitioned: boolean | undefined
  priority: 'low' | 'medium' | 'high' | undefined
  #expires: Date | null = null
  #originalMaxAge: number | null = null
  // Attached to a request's session (a private field: nothing extra for JSON, spreads or the typings to show).
  #link: CookieLink | undefined

  static {
    linkCookie = (cookie, link) => {
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
    if (link === undefined) return this.#originalMaxAge
    const seconds = link.core.maxAge
    return seconds === undefined ? link.maxAge : seconds === null ? null : seconds * 1000
  }
  set originalMaxAge(ms: number | null) {
    if (this.#link !== undefined) this.maxAge = ms
    else this.#originalMaxAge = ms
  }

  /** When the cookie expires; `null` for a browser-session cookie. Setting it changes this session's lifetime. */
  get expires(): Date | null {
    const link = this.#link
    if (link === undefined) return this.#expires
    const original = this.originalMaxAge
    if (original === null) return null
    const stored = link.core.expiresAt
    return new Date(stored > 0 && !link.changed ? stored : link.now() + original)
  }
  set expires(date: Date | null | false) {
    const link = this.#link
    if (link === undefined) {
      this.#expires = date || null
      this.#originalMaxAge = this.maxAge
      return
    }
    // Zero or a past date would be rejected by setMaxAge: the shortest lifetime expires the session now.
    link.core.setMaxAge(date ? Math.max(date.getTime() - link.now(), 1) / 1000 : null)
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
    const expires = this.expires
    const sameSite = this.sameSite === true ? 'strict' : this.sameSite === 'auto' ? 'lax' : this.sameSite || undefined
    return serializeCookie(name, value, {
      path: this.path,
      domain: this.domain,
      httpOnly: this.httpOnly,
      secure: this.secure === true,
      sameSite,
      partitioned: this.partitioned === true,
      priority: this.priority,
      expiresAtMs: expires?.getTime(),
    })
  }

  toJSON(): Record<string, unknown> {
    return this.data
  }
}

interface Attached {
  core: CoreSession<object>
  manager: SessionManager<object>
  req: { session?: unknown; sessionID?: string }
  /** destroy() ran: the request has no session on purpose (not an `unset`). */
  destroyed: boolean
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
    return run(this, cb, async (state) => {
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
    if (state) delete state.req.session
    return run(this, callback, async (s) => {
      s.destroyed = true
      await s.core.destroy()
      s.req.sessionID = s.core.id
    })
  }

  /** Re-reads the session from the store, dropping unsaved changes; fails with `SESSION_MISSING` if it is gone. */
  reload(callback: Callback): this
  reload(): Promise<void>
  reload(callback?: Callback): this | Promise<void> {
    return run(this, callback, async (state) => {
      const found = await state.core.reload()
      state.req.sessionID = state.core.id
      if (!found) {
        throw new SessionStateError(
          'SESSION_MISSING',
          '[sess] [express] The session no longer exists in the store (destroyed or expired); start a new one.',
        )
      }
    })
  }

  /** Writes the session now (before a redirect, say); the response still waits for any later change. */
  save(callback: Callback): this
  save(): Promise<void>
  save(callback?: Callback): this | Promise<void> {
    return run(this, callback, (state) => state.core.save())
  }

  /** Refreshes the expiry at the end of this request. Synchronous and chainable, as in express-session. */
  touch(callback?: Callback): this {
    stateOf(this)?.core.touch()
    if (callback) queueMicrotask(() => callback())
    return this
  }

  /** Resets the cookie's `maxAge` to its `originalMaxAge` (the same as {@link touch}). */
  resetMaxAge(callback?: Callback): this {
    return this.touch(callback)
  }

  /** Binds the session to a user (`null` unbinds), so {@link destroyUserSessions} can log the user out everywhere. */
  setUser(userId: string | null): this {
    attached(this).core.setUser(userId)
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
  body: (state: Attached) => Promise<void>,
): S | Promise<void> {
  let promise: Promise<void>
  try {
    // Started synchronously, so a save() not awaited before res.end() still runs before the commit.
    promise = body(attached(session))
  } catch (error) {
    promise = Promise.reject(error)
  }
  if (callback === undefined) return promise
  promise.then(
    () => queueMicrotask(() => callback()),
    (error) => queueMicrotask(() => callback(error)),
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
const own = (target: Session, key: string | symbol): boolean => typeof key === 'symbol' || key in target
const dataOf = (target: Session) => (target as Holder)[STATE]!.core.data as Record<string | symbol, unknown>

// One handler for every request's Proxy: the target carries the state, so no closures are made per request.
const handler: ProxyHandler<Session> = {
  get: (t, key, receiver) => (own(t, key) ? Reflect.get(t, key, receiver) : dataOf(t)[key]),
  set: (t, key, value, receiver) =>
    own(t, key) ? Reflect.set(t, key, value, receiver) : Reflect.set(dataOf(t), key, value),
  has: (t, key) => key in t || key in dataOf(t),
  deleteProperty: (t, key) => (own(t, key) ? Reflect.deleteProperty(t, key) : Reflect.deleteProperty(dataOf(t), key)),
  ownKeys: (t) => ['cookie', ...Reflect.ownKeys(dataOf(t))],
  getOwnPropertyDescriptor: (t, key) =>
    own(t, key) ? Reflect.getOwnPropertyDescriptor(t, key) : Reflect.getOwnPropertyDescriptor(dataOf(t), key),
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
  core: CoreSession<object>,
  manager: SessionManager<object>,
  req: { session?: unknown; sessionID?: string },
  link: Omit<CookieLink, 'core' | 'changed'>,
): Session {
  const target = Object.create(Session.prototype) as Session & Holder
  const cookie = new Cookie()
  linkCookie(cookie, { core, changed: false, now: link.now, maxAge: link.maxAge })
  const attributes = manager.options.cookie
  cookie.path = attributes.path
  cookie.domain = attributes.domain
  cookie.httpOnly = attributes.httpOnly
  cookie.secure = attributes.secure
  cookie.sameSite = attributes.sameSite
  cookie.partitioned = attributes.partitioned
  cookie.priority = attributes.priority
  target.cookie = cookie
  target[STATE] = { core, manager, req, destroyed: false }
  return new Proxy(target, handler)
}

/** Whether `destroy()` removed `req.session` (rather than the app unsetting it). */
export function destroyedByApi(session: Session): boolean {
  return stateOf(session)?.destroyed === true
}
