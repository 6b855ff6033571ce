import type { UserDevice, UserSession } from '@sess/core'
import { propertiesView, SessionStateError } from '@sess/core'
import type { CookieOptions } from './cookie.js'
import { Cookie, resetCookie } from './cookie.js'
import type { DestroyUserSessionsOptions } from './devices.js'
import { devices } from './devices.js'
import { removeSession } from './slots.js'
import type { Attached } from './request-state.js'
import { holdState, stateOf } from './request-state.js'
import type { Callback } from './stores.js'

// Detached sessions (built from a store record) keep their id in a WeakMap, as they are plain objects that apps
// inspect; a request's session keeps its state on the Proxy's target (request-state.ts).
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
    if (state && !state.core.committed) removeSession(state.req)
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

  /**
   * "Your devices": this session's user's sessions with `current`, `lastSeenAt` and the opt-in `userAgent`/`ip`.
   * With a user id, that user's sessions as the store lists them (an admin tool). Needs a store with a user index.
   */
  listUserSessions(): Promise<UserDevice[]>
  listUserSessions(userId: string): Promise<UserSession[]>
  listUserSessions(userId?: string): Promise<UserDevice[] | UserSession[]> {
    return devices(attached(this)).listUserSessions(userId)
  }

  /** Signs out one session listed by {@link listUserSessions} (this one included: then as {@link destroy}). */
  destroyUserSession(listedId: string): Promise<boolean> {
    return devices(attached(this)).destroyUserSession(listedId)
  }

  /** Destroys every session of a user (this one's by default), optionally except this one; resolves to how many. */
  destroyUserSessions(options?: DestroyUserSessionsOptions): Promise<number> {
    return devices(attached(this)).destroyUserSessions(options)
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

// One Proxy handler for every request (core's): `id`, `cookie`, the methods and symbols live on the target, every
// other key is data; a write after the response is ignored and reported, since throwing from a timer would end
// the process.
const properties = propertiesView({
  listed: ['cookie'],
  afterCommit: 'ignore',
  onIgnored: (target, operation) => stateOf(target)?.report(operation),
  sessionOf: (target) => (stateOf(target) as Attached).core,
})

// The cookie view is built on first use (most requests never read it); an app may replace it.
const attachedPrototype: Session = Object.create(Session.prototype, {
  cookie: {
    get(this: Session): Cookie {
      return stateOf(this)!.cookieView()
    },
    set(this: Session, value: Cookie): void {
      Object.defineProperty(this, 'cookie', { value, writable: true, enumerable: true, configurable: true })
    },
    configurable: true,
  },
})

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
 * `req.session.views++` and `req.session.cart.items.push(x)` are tracked and saved. `state` is the request's session
 * state, which the response hook reads directly (not through the Proxy).
 */
export function attachSession(state: Attached): Session {
  const target = Object.create(attachedPrototype) as Session
  holdState(target, state)
  return properties(target, state.core)
}
