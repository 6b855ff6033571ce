import { andThen } from './internal/awaitable.js'
import type { CookieCodec } from './codec/codec.js'
import type { ResponseCookie } from './cookie/response-cookie.js'
import type { LifetimeView } from './lifetime-view.js'
import { lifetimeView } from './lifetime-view.js'
import { committed } from './session/lifecycle.js'
import { assertOpen } from './session/operations.js'
import type { CommitPlan } from './session/plan.js'
import { EXPIRED, planCommit, planStore } from './session/plan.js'
import type { Session, SessionData } from './session/session.js'
import type { SessionState } from './session/state.js'
import type { WriteOutcome } from './session/writer.js'
import { writeSession } from './session/writer.js'

/** What an adapter must add to the response. */
export interface CommitResult {
  /** `Set-Cookie` header values to append (never replace the app's own). */
  setCookie: string[]
}

/** One request's session and the means to finish it. */
export interface SessionHandle<Data extends object = SessionData> {
  /** The session route handlers use. */
  readonly session: Session<Data>
  /**
   * Finishes the request: synchronously (a `CommitResult`) when no store call is due or the store answers
   * synchronously (the memory store), and the cookie value is at hand; otherwise a Promise of it. A failure is
   * always a rejected Promise, never a throw. Call exactly once, before headers go out. The one call an
   * adapter needs: `const r = handle.finish(); apply(r instanceof Promise ? await r : r)`.
   */
  finish(): CommitResult | Promise<CommitResult>
  /** Awaits every store write, then returns the `Set-Cookie` values; call exactly once, before headers go out. */
  commit(): Promise<CommitResult>
  /**
   * Commits synchronously when no store call is due (the request changed nothing, or only read) and the cookie
   * value is at hand: returns the `Set-Cookie` values, as {@link commit} would. Returns undefined, changing nothing,
   * when the commit needs to wait; call {@link commit} then.
   */
  commitSync(): CommitResult | undefined
  /**
   * The `Set-Cookie` values the commit will produce given the current state, computed synchronously (for
   * synchronous header hooks). Undefined when a signature is not available synchronously yet.
   */
  peekSetCookie(): string[] | undefined
  /**
   * The cookie's lifetime now (`originalMaxAge`, `expires`, remaining `maxAge`), computed with the injected clock, in
   * the unit asked: `'ms'` as express-session and @fastify/session show it, `'s'` (default) as core counts.
   */
  lifetime(options?: { unit?: 'ms' | 's' | undefined }): LifetimeView
}

/**
 * One request's handle: plan → write → cookie. Its methods are own arrow functions, not prototype methods, so that
 * `const { session, commit } = await manager.load(...)` works (the documented pattern).
 */
export class Handle<Data extends object> implements SessionHandle<Data> {
  readonly session: Session<Data>
  readonly #state: SessionState
  readonly #codec: CookieCodec
  readonly #cookie: ResponseCookie
  readonly #secure: { secure: boolean }
  readonly #diagnose: ((cookie: ResponseCookie) => void) | undefined

  constructor(parts: {
    session: Session<Data>
    state: SessionState
    codec: CookieCodec
    cookie: ResponseCookie
    secure: boolean
    /** Reports why the cookie would be dropped, when someone observes events. */
    diagnose?: ((cookie: ResponseCookie) => void) | undefined
  }) {
    this.#diagnose = parts.diagnose
    this.session = parts.session
    this.#state = parts.state
    this.#codec = parts.codec
    this.#cookie = parts.cookie
    this.#secure = { secure: parts.secure }
  }

  readonly lifetime = (options?: { unit?: 'ms' | 's' | undefined }): LifetimeView =>
    lifetimeView(this.#state, options?.unit ?? 's')

  // The commit itself is synchronous whenever it can be (no store call due, or a store that answers synchronously,
  // and the cookie value at hand): no need to try commitSync() first and plan twice.
  readonly finish = (): CommitResult | Promise<CommitResult> => {
    try {
      return this.#commit()
    } catch (error) {
      return Promise.reject(error)
    }
  }

  // (finish never throws: a failure is a rejected Promise, which Promise.resolve hands on as it is.)
  readonly commit = (): Promise<CommitResult> => Promise.resolve(this.finish())

  /** plan → write → cookie; synchronous when the write is (an in-process store) and the cookie value at hand. */
  #commit(): CommitResult | Promise<CommitResult> {
    const s = this.#state
    if (s.lifecycle.phase !== 'committed' && s.inflight !== undefined) {
      return s.inflight.catch(() => undefined).then(() => this.#commit())
    }
    assertOpen(s)
    const input = s.planInput()
    const plan = planCommit(s.lifecycle, input)
    s.lifecycle = committed(s.lifecycle)
    return andThen(writeSession(s, plan.store, plan.expiresAt, input.now), (o) => this.#cookieAfter(plan, o))
  }

  #cookieAfter(plan: CommitPlan, outcome: WriteOutcome): CommitResult | Promise<CommitResult> {
    if (outcome === 'missing') return { setCookie: [this.#cookie.header('', EXPIRED, this.#secure)] }
    if (plan.cookie !== 'set') return { setCookie: this.#headers(plan, '') }
    const value = this.#codec.valueSync(this.#state) ?? this.#codec.value(this.#state)
    return andThen(value, (v) => ({ setCookie: this.#headers(plan, v) }))
  }

  readonly commitSync = (): CommitResult | undefined => {
    const s = this.#state
    if (s.lifecycle.phase === 'committed' || s.inflight !== undefined) return undefined
    const input = s.planInput()
    if (planStore(s.lifecycle, input) !== 'none') return undefined
    const plan = planCommit(s.lifecycle, input, 'none')
    const value = plan.cookie === 'set' ? this.#codec.valueSync(s) : ''
    if (value === undefined) return undefined
    s.lifecycle = committed(s.lifecycle)
    return { setCookie: this.#headers(plan, value) }
  }

  readonly peekSetCookie = (): string[] | undefined => {
    const s = this.#state
    if (s.lifecycle.phase === 'committed') return undefined
    const plan = planCommit(s.lifecycle, s.planInput())
    const value = plan.cookie === 'set' ? this.#codec.valueSync(s) : ''
    return value === undefined ? undefined : this.#headers(plan, value, false)
  }

  #headers(plan: CommitPlan, value: string, final = true): string[] {
    if (plan.cookie === 'none') return []
    if (final && plan.cookie === 'set') this.#diagnose?.(this.#cookie)
    return [this.#cookie.header(plan.cookie === 'expire' ? '' : value, plan.lifetime, this.#secure)]
  }
}
