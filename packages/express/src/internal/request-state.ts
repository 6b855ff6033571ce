import type { Session as CoreSession, SessionHandle, SessionManager } from '@sess/core'
import type { CookieOptions } from './cookie.js'
import { Cookie, linkCookie } from './cookie.js'
import { sameSiteOf } from './cookie-settings.js'

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
export class Attached {
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

  /** Whether the app changed the session in this request, including before a save() or reload(). */
  modifiedInRequest(): boolean {
    return this.modified || this.core.isModified()
  }

  /** Reports a write after the response; true when the session is closed (the write is then ignored). */
  late(operation: string): boolean {
    if (!this.core.committed) return false
    this.report(operation)
    return true
  }

  /** Reports a write ignored after the response through `onEvent`. */
  report(operation: string): void {
    try {
      this.context.onEvent?.({ type: 'write-after-response', operation })
    } catch {
      // An observer must not break the process either.
    }
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
// and spreads, and it costs no WeakMap entry per request.
const STATE = Symbol('@sess/express state')
type Holder = { [STATE]?: Attached }

/** The request state of an attached `req.session` (or its Proxy's target); undefined for a detached session. */
export const stateOf = (session: object): Attached | undefined => (session as Holder)[STATE]

/** Attaches a request's state to the object the Proxy wraps. */
export function holdState(target: object, state: Attached): void {
  ;(target as Holder)[STATE] = state
}
