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

// Internal state lives in WeakMaps, not on the objects: nothing extra for JSON, spreads or the typings to show.
const links = new WeakMap<Cookie, CookieLink>()

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

  constructor(options?: CookieOptions & { originalMaxAge?: number | null | undefined }) {
    const { maxAge, expires, originalMaxAge, ...attributes } = options ?? {}
    Object.assign(this, attributes)
    if (expires != null) this.expires = new Date(expires)
    if (maxAge !== undefined) this.maxAge = maxAge
    if (originalMaxAge != null) this.#originalMaxAge = originalMaxAge
  }

  /** The lifetime the session started with, ms; `null` for a browser-session cookie. */
  get originalMaxAge(): number | null {
    const link = links.get(this)
    if (link === undefined) return this.#originalMaxAge
    const seconds = link.core.maxAge
    return seconds === undefined ? link.maxAge : seconds === null ? null : seconds * 1000
  }
  set originalMaxAge(ms: number | null) {
    if (links.has(this)) this.maxAge = ms
    else this.#originalMaxAge = ms
  }

  /** When the cookie expires; `null` for a browser-session cookie. Setting it changes this session's lifetime. */
  get expires(): Date | null {
    const link = links.get(this)
    if (link === undefined) return this.#expires
    const original = this.originalMaxAge
    if (original === null) return null
    const stored = link.core.expiresAt
    return new Date(stored > 0 && !link.changed ? stored : link.now() + original)
  }
  set expires(date: Date | null | false) {
    const link = links.get(this)
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
    return expires === null ? null : expires.getTime() - (links.get(this)?.now() ?? Date.now())
  }
  set maxAge(ms: number | null) {
    this.expires = typeof ms === 'number' ? new Date((links.get(this)?.now() ?? Date.now()) + ms) : null
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
  req: { session?: unknown }
  /** destroy() ran: the request has no session on purpose (not an `unset`). */
  destroyed: boolean
}

const states = new WeakMap<Session, Attached>()
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
    const state = states.get(this)
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
      state.destroyed = false
    })
  }

  /** Deletes the session and expires its cookie; `req.session` is gone afterwards, as in express-session. */
  destroy(callback: Callback): this
  destroy(): Promise<void>
  destroy(callback?: Callback): this | Promise<void> {
    const state = states.get(this)
    if (state) delete state.req.session
    return run(this, callback, async (s) => {
      s.destroyed = true
      await s.core.destroy()
    })
  }

  /** Re-reads the session from the store, dropping unsaved changes; fails with `SESSION_MISSING` if it is gone. */
  reload(callback: Callback): this
  reload(): Promise<void>
  reload(callback?: Callback): this | Promise<void> {
    return run(this, callback, async (state) => {
      if (!(await state.core.reload())) {
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
    states.get(this)?.core.touch()
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
  const state = states.get(session)
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

/**
 * The `req.session` of one request: a {@link Session} whose unknown properties are the core session's data, so
 * `req.session.views++` and `req.session.cart.items.push(x)` are tracked and saved.
 */
export function attachSession(
  core: CoreSession<object>,
  manager: SessionManager<object>,
  req: { session?: unknown },
  link: Omit<CookieLink, 'core' | 'changed'>,
): Session {
  const target = Object.create(Session.prototype) as Session
  const cookie = new Cookie()
  links.set(cookie, { core, changed: false, ...link })
  const { path, domain, httpOnly, secure, sameSite, partitioned, priority } = manager.options.cookie
  Object.assign(cookie, { path, domain, httpOnly, secure, sameSite, partitioned, priority })
  target.cookie = cookie
  // console.log(req.session) inspects the Proxy's target, which holds no data: show what the app would see.
  Object.defineProperty(target, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => Object.assign(Object.create(Session.prototype), { cookie: cookie.data }, core.toJSON()),
    configurable: true,
  })
  const data = core.data as Record<string | symbol, unknown>
  // Methods, `id`, `cookie` and Object.prototype members live on the target; everything else is session data.
  const own = (key: string | symbol): boolean => typeof key === 'symbol' || key in target
  const session = new Proxy(target, {
    get: (t, key, receiver) => (own(key) ? Reflect.get(t, key, receiver) : data[key]),
    set: (t, key, value, receiver) => (own(key) ? Reflect.set(t, key, value, receiver) : Reflect.set(data, key, value)),
    has: (t, key) => key in t || key in data,
    deleteProperty: (t, key) => (own(key) ? Reflect.deleteProperty(t, key) : Reflect.deleteProperty(data, key)),
    ownKeys: () => ['cookie', ...Reflect.ownKeys(data)],
    getOwnPropertyDescriptor: (t, key) =>
      own(key) ? Reflect.getOwnPropertyDescriptor(t, key) : Reflect.getOwnPropertyDescriptor(data, key),
    defineProperty: (t, key, descriptor) =>
      own(key) ? Reflect.defineProperty(t, key, descriptor) : Reflect.defineProperty(data, key, descriptor),
  })
  states.set(session, { core, manager, req, destroyed: false })
  return session
}

/** Whether `destroy()` removed `req.session` (rather than the app unsetting it). */
export function destroyedByApi(session: Session): boolean {
  return states.get(session)?.destroyed === true
}
