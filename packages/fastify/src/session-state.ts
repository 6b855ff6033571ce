import type { Session, SessionData, SessionHandle } from '@sess/core'
import { isSessionError } from '@sess/core'
import type { FastifyRequest } from 'fastify'
import type { PluginContext } from './context.js'
import type { CookieDefaults } from './options.js'
import { SessionCookie } from './session-cookie.js'

const ORIGINAL_CAUSE = Symbol.for('@sess/core/original-cause')

/** One request's session state behind `request.session`: the core handle plus what @fastify/session adds. */
export class SessionState {
  readonly ctx: PluginContext
  readonly handle: SessionHandle<SessionData>
  readonly request: FastifyRequest
  /** The session cookie's value as the request sent it (prefix removed), if any. */
  readonly requestValue: string | undefined
  readonly https: boolean
  /** This session's cookie options after `options({...})`; the plugin's otherwise. */
  cookieOptions: CookieDefaults
  view: SessionCookie | undefined
  saved = false
  destroyed = false
  /** The end of the request's session (store writes, then the cookie), once started; null when it was synchronous. */
  finishing: Promise<void> | null | undefined
  failed = false
  #signed: { id: string; value: string } | undefined

  constructor(
    ctx: PluginContext,
    handle: SessionHandle<SessionData>,
    request: FastifyRequest,
    input: { requestValue: string | undefined; https: boolean; verifiedId: string | undefined },
  ) {
    this.ctx = ctx
    this.handle = handle
    this.request = request
    this.requestValue = input.requestValue
    this.https = input.https
    this.cookieOptions = ctx.cookie
    // A value verified by the first secret is exactly what signing the id again gives: no HMAC to re-send it.
    if (input.verifiedId !== undefined && input.requestValue !== undefined) {
      this.#signed = { id: input.verifiedId, value: input.requestValue }
    }
  }

  get core(): Session<SessionData> {
    return this.handle.session
  }

  /** The signed cookie value for the current id (without prefix). */
  signedValue(): string {
    const id = this.core.id
    if (this.#signed?.id !== id) this.#signed = { id, value: this.ctx.signer.sign(id) }
    return this.#signed.value
  }

  /** This session's lifetime in ms as core keeps it (per-session "remember me", or the plugin's). */
  storedMaxAge(): number | null {
    const seconds = this.core.maxAge
    return seconds === undefined ? this.ctx.cookie.maxAge : seconds === null ? null : Math.round(seconds * 1000)
  }

  /** `request.session.cookie`, built on first use. */
  cookie(): SessionCookie {
    if (this.view === undefined) {
      const maxAge = this.storedMaxAge()
      const options = maxAge === this.cookieOptions.maxAge ? this.cookieOptions : { ...this.cookieOptions, maxAge }
      this.view = new SessionCookie(options, this.https, Date.now())
    }
    return this.view
  }

  /** Hands a lifetime changed through the cookie view (`options({ maxAge })`, `cookie.maxAge = ...`) to core. */
  flush(): void {
    const view = this.view
    if (view === undefined || view.originalMaxAge === this.storedMaxAge()) return
    this.core.setMaxAge(view.originalMaxAge === null ? null : view.originalMaxAge / 1000)
  }

  /** A store failure as the app's callback or promise sees it: the callback store's own error, as @fastify/session. */
  unwrap(error: unknown): unknown {
    if (!this.ctx.callbackStore || !isSessionError(error) || error.code !== 'STORE_FAILURE') return error
    // Core keeps the client's error unscrubbed under this symbol; `cause` is a copy without command arguments.
    const original = (error as unknown as Record<symbol, unknown>)[ORIGINAL_CAUSE] ?? error.cause
    return original ?? error
  }
}
