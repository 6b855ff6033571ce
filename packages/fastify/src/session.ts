import type { Session, SessionData, UserDevice, UserSession } from '@sess/core'
import { propertiesView, toCallback } from '@sess/core'
import type { Callback } from './callback-store.js'
import type { DestroyUserSessionsOptions } from './devices.js'
import { devices } from './devices.js'
import type { FastifySessionCookieOptions } from './options.js'
import { resolveCookie } from './options.js'
import type { SessionCookie } from './session-cookie.js'
import type { SessionState } from './session-state.js'

const STATE = Symbol('sess.fastify.state')

/** `request.session`'s API (@fastify/session's, plus log-out-everywhere); data keys are plain properties too. */
export interface FastifySessionApi {
  /** The session id. It changes on regenerate. Never log it. */
  readonly sessionId: string
  /** The signed id, the cookie's value without `cookiePrefix`. */
  readonly encryptedSessionId: string
  /** This session's cookie: `originalMaxAge`, `maxAge` (ms), `expires`, attributes. */
  readonly cookie: SessionCookie
  /** The underlying core session (flash messages, typed access). */
  readonly core: Session<SessionData>
  get<K extends keyof SessionData & string>(key: K): SessionData[K] | undefined
  set<K extends keyof SessionData & string>(key: K, value: SessionData[K]): void
  /** Changes this session's cookie options for this response and, for `maxAge` (ms), its later ones too. */
  options(options: FastifySessionCookieOptions): void
  /** Moves `cookie.expires` to now + maxAge and refreshes the store's expiry at the end of the request. */
  touch(): void
  /** A new id, the old record destroyed (fixation); `keys` are carried over. Promise without a callback. */
  regenerate(keys?: string[]): Promise<void>
  regenerate(callback: Callback): void
  regenerate(keys: string[], callback: Callback): void
  /** Removes the session from the store; `request.session` becomes null and the cookie is expired. */
  destroy(): Promise<void>
  destroy(callback: Callback): void
  /** Re-reads the session from the store, dropping unsaved changes. */
  reload(): Promise<void>
  reload(callback: Callback): void
  /** Writes the session to the store now; the response then carries its cookie. */
  save(): Promise<void>
  save(callback: Callback): void
  /** Whether data changed since the session was loaded or saved. */
  isModified(): boolean
  /** Whether `save()` ran in this request. */
  isSaved(): boolean
  /** Binds the session to a user (`null` unbinds), so `destroyUserSessions` can log them out everywhere. */
  setUser(userId: string | null): void
  /**
   * "Your devices": this session's user's sessions with `current`, `lastSeenAt` and the opt-in `userAgent`/`ip`.
   * With a user id, that user's sessions as the store lists them (an admin tool). Needs a store with a user index.
   */
  listUserSessions(): Promise<UserDevice[]>
  listUserSessions(userId: string): Promise<UserSession[]>
  /** Signs out one session listed by `listUserSessions()` (this one included: then as `destroy()`). */
  destroyUserSession(listedId: string): Promise<boolean>
  /** Destroys every session of a user (this one's by default), optionally except this one; resolves to how many. */
  destroyUserSessions(options?: DestroyUserSessionsOptions): Promise<number>
}

/** A promise when no callback is given; with a callback, the callback (always called) and nothing returned. */
function run(
  state: SessionState,
  callback: Callback | undefined,
  body: () => Promise<void>,
): Promise<void> | undefined {
  const promise = body().catch((error: unknown) => Promise.reject(state.unwrap(error)))
  if (callback === undefined) return promise
  toCallback(() => promise, callback)
  return undefined
}

/**
 * `request.session`: @fastify/session's API over a core session. Data keys are plain properties (through core's
 * shared view); the methods take a callback or return a promise. Destroy sets `request.session` to null,
 * as @fastify/session does.
 */
class Facade {
  readonly [STATE]: SessionState

  constructor(state: SessionState) {
    this[STATE] = state
  }
  /** The session id. It changes on regenerate. Never log it. */
  get sessionId(): string {
    return this[STATE].core.id
  }
  /** The signed id, the cookie's value without `cookiePrefix`. */
  get encryptedSessionId(): string {
    return this[STATE].signedValue()
  }
  /** This session's cookie: `originalMaxAge`, `maxAge` (ms), `expires`, attributes. */
  get cookie(): SessionCookie {
    return this[STATE].cookie()
  }
  /** The underlying core session (flash messages, typed access). */
  get core(): Session<SessionData> {
    return this[STATE].core
  }
  get<K extends keyof SessionData & string>(key: K): SessionData[K] | undefined {
    return this[STATE].core.get(key)
  }
  set<K extends keyof SessionData & string>(key: K, value: SessionData[K]): void {
    this[STATE].core.set(key, value)
  }
  /** Changes this session's cookie options for this response and, for `maxAge` (ms), its later ones too. */
  options(options: FastifySessionCookieOptions): void {
    const state = this[STATE]
    if (Object.keys(options).length === 0) return
    state.cookieOptions = resolveCookie(options, { ...state.cookieOptions, maxAge: state.cookie().originalMaxAge })
    state.view = undefined
    const view = state.cookie()
    view.maxAge = state.cookieOptions.maxAge
    if (state.cookieOptions.maxAge === null) view.expires = state.cookieOptions.expires
  }
  /** Moves `cookie.expires` to now + maxAge and refreshes the store's expiry at the end of the request. */
  touch(): void {
    const state = this[STATE]
    const view = state.cookie()
    if (view.originalMaxAge) view.expires = new Date(Date.now() + view.originalMaxAge)
    state.core.touch()
  }
  /** A new id, the old record destroyed (fixation); `keys` are carried over. */
  regenerate(keys?: string[] | Callback, callback?: Callback): Promise<void> | undefined {
    if (typeof keys === 'function') (callback = keys), (keys = undefined)
    const state = this[STATE]
    const kept = Array.isArray(keys) ? keys : []
    return run(state, callback, async () => {
      const core = state.core
      state.cookie() // the view keeps this session's lifetime ("remember me") across the new id
      const values = kept.map((key) => [key, core.get(key as never)] as const)
      await core.regenerate()
      for (const [key, value] of values) if (value !== undefined) core.set(key as never, value as never)
      state.flush()
      if (core.isModified() || state.ctx.saveUninitialized) await core.save()
    })
  }
  /** Removes the session from the store; `request.session` becomes null and the cookie is expired. */
  destroy(callback?: Callback): Promise<void> | undefined {
    const state = this[STATE]
    return run(state, callback, async () => {
      try {
        // @fastify/session asks the store even for a session it never saved; a callback store may expect that.
        if (state.core.isNew && state.ctx.callbackStore) await state.ctx.store.destroy(state.core.id)
        await state.core.destroy()
        state.destroyed = true
      } finally {
        ;(state.request as { session: unknown }).session = null
      }
    })
  }
  /** Re-reads the session from the store, dropping unsaved changes. */
  reload(callback?: Callback): Promise<void> | undefined {
    const state = this[STATE]
    return run(state, callback, async () => {
      if (state.core.isNew && state.ctx.callbackStore) await state.ctx.store.get(state.core.id)
      await state.core.reload()
      state.view = undefined
    })
  }
  /** Writes the session to the store now; the response then carries its cookie. */
  save(callback?: Callback): Promise<void> | undefined {
    const state = this[STATE]
    return run(state, callback, async () => {
      state.flush()
      await state.core.save()
      state.saved = true
    })
  }
  /** Whether data changed since the session was loaded or saved. */
  isModified(): boolean {
    return this[STATE].core.isModified()
  }
  /** Whether `save()` ran in this request. */
  isSaved(): boolean {
    return this[STATE].saved
  }
  /** Binds the session to a user (`null` unbinds), so {@link destroyUserSessions} can log them out everywhere. */
  setUser(userId: string | null): void {
    this[STATE].core.setUser(userId)
  }
  listUserSessions(userId?: string): Promise<UserDevice[] | UserSession[]> {
    return devices(this[STATE]).listUserSessions(userId)
  }
  destroyUserSession(listedId: string): Promise<boolean> {
    return devices(this[STATE]).destroyUserSession(listedId)
  }
  destroyUserSessions(options?: DestroyUserSessionsOptions): Promise<number> {
    return devices(this[STATE]).destroyUserSessions(options)
  }
}

// One Proxy handler for every request (core's): the facade's names and symbols live on it, every other key is data.
const properties = propertiesView()

/** `request.session`. */
export type FastifySession = FastifySessionApi & Partial<SessionData>

/** The Proxy apps see as `request.session`. */
export function sessionFacade(state: SessionState): FastifySession {
  return properties(new Facade(state), state.core) as unknown as FastifySession
}
