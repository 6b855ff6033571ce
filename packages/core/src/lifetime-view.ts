import { idleSeconds, isPersistent, nextExpiresAt } from './session/plan.js'
import type { SessionState } from './session/state.js'

/** The session cookie's lifetime as express-session's and @fastify/session's `cookie` objects show it. */
export interface LifetimeView {
  /** The lifetime the cookie was given (the session's own `maxAge`, else the idle timeout); null without Max-Age. */
  originalMaxAge: number | null
  /** When the cookie expires (the record's expiry, or where a write now would put it); null without Max-Age. */
  expires: Date | null
  /** What remains of the lifetime from now (the injected clock); null without Max-Age. */
  maxAge: number | null
}

/** The lifetime view in the unit asked: `'ms'` for express-session and @fastify/session, `'s'` for core. */
export function lifetimeView(state: SessionState, unit: 'ms' | 's'): LifetimeView {
  const rules = state.rules
  if (!isPersistent(state.maxAge, rules)) return { originalMaxAge: null, expires: null, maxAge: null }
  const now = state.services.options.clock.now()
  const scale = unit === 'ms' ? 1000 : 1
  const original = idleSeconds(state.maxAge, rules)
  const expiresAt = state.expiresAt > 0 ? state.expiresAt : nextExpiresAt(state, { now, rules })
  return {
    originalMaxAge: original * scale,
    expires: new Date(expiresAt),
    maxAge: ((expiresAt - now) / 1000) * scale,
  }
}
