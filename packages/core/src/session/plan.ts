import { computeExpiresAt, touchedExpiresAt, ttlSeconds } from '../store-kit/expiry.js'
import type { Lifecycle } from './lifecycle.js'

/** The store operation a commit performs. (`destroy` is not one: `destroy()` and `regenerate()` call it at once.) */
export type StoreAction = 'none' | 'set' | 'patch' | 'touch'
/** What the response's session cookie gets. */
export type CookieAction = 'none' | 'set' | 'expire'

/** The cookie's Max-Age (seconds) and Expires (epoch ms). */
export interface CookieLifetime {
  maxAge: number
  expiresAtMs: number
}

/** The rules a plan follows, from the resolved options. */
export interface PlanRules {
  idleTimeout: number
  absoluteTimeout: number | null
  touchAfter: number
  rolling: boolean
  saveUninitialized: boolean
  /** Default of `cookie.persistent` (Max-Age and Expires unless the session says otherwise). */
  persistent: boolean
  /** The record travels in the cookie (`sealedCookie()`): every store write re-sends it, persistent or not. */
  recordInCookie: boolean
}

/** Everything a plan depends on besides the lifecycle. */
export interface PlanInput {
  now: number
  /** The live record's times and per-session lifetime (expiresAt 0 when never stored). */
  record: { createdAt: number; expiresAt: number; maxAge: number | null | undefined }
  /** Data, user binding or lifetime changed, or a write was requested. */
  modified: boolean
  /** `touch()` was called: refresh even within `touchAfter`. */
  touchRequested: boolean
  /** The store can patch (otherwise a change rewrites the record). */
  canPatch: boolean
  rules: PlanRules
}

/** What a commit does, decided before anything is done. */
export interface CommitPlan {
  store: StoreAction
  cookie: CookieAction
  /** The record's expiry once the store action is done. */
  expiresAt: number
  /** Max-Age/Expires of the cookie; undefined for a browser-session cookie (or no cookie). */
  lifetime: CookieLifetime | undefined
}

/** The lifetime of a cookie being expired. */
export const EXPIRED: CookieLifetime = { maxAge: 0, expiresAtMs: 0 }
const NOTHING: CommitPlan = { store: 'none', cookie: 'none', expiresAt: 0, lifetime: undefined }

/** Whether the session's cookie carries Max-Age and Expires. */
export function isPersistent(maxAge: number | null | undefined, rules: PlanRules): boolean {
  return maxAge === undefined ? rules.persistent : maxAge !== null
}

/** The idle timeout in seconds that applies to this session. */
export function idleSeconds(maxAge: number | null | undefined, rules: { idleTimeout: number }): number {
  return typeof maxAge === 'number' ? maxAge : rules.idleTimeout
}

/** The expiry a write now would give the record. */
export function nextExpiresAt(record: PlanInput['record'], input: { now: number; rules: PlanRules }): number {
  const { now, rules } = input
  return computeExpiresAt(now, record.createdAt, idleSeconds(record.maxAge, rules), rules.absoluteTimeout)
}

/** The store action alone (cheaper than a whole plan: no lifetime arithmetic). */
export function planStore(state: Lifecycle, input: PlanInput): StoreAction {
  if (state.phase === 'committed') return 'none'
  if (state.phase === 'unsaved') {
    return input.modified || (input.rules.saveUninitialized && !state.destroyed) ? 'set' : 'none'
  }
  if (input.modified) return input.canPatch ? 'patch' : 'set'
  const { now, record, rules } = input
  const policy = {
    now,
    idleTimeout: rules.idleTimeout,
    absoluteTimeout: rules.absoluteTimeout,
    touchAfter: rules.touchAfter,
  }
  return touchedExpiresAt(record, policy, { force: input.touchRequested }) === undefined ? 'none' : 'touch'
}

/**
 * Decides a commit from the lifecycle: which store operation, which cookie, with which lifetime. Pure: the same
 * state and input always give the same plan (tested table-driven in plan.test.ts).
 */
export function planCommit(
  state: Lifecycle,
  input: PlanInput,
  store: StoreAction = planStore(state, input),
): CommitPlan {
  if (state.phase === 'committed') return NOTHING
  const { now, record, rules } = input
  const expiresAt = store === 'none' ? record.expiresAt : nextExpiresAt(record, input)
  const cookie = cookieAction(state, store, rules, isPersistent(record.maxAge, rules))
  let lifetime: CookieLifetime | undefined
  if (cookie === 'expire') lifetime = EXPIRED
  else if (cookie === 'set' && isPersistent(record.maxAge, rules)) {
    lifetime = { maxAge: ttlSeconds(expiresAt, now), expiresAtMs: expiresAt }
  }
  return { store, cookie, expiresAt, lifetime }
}

function cookieAction(state: Lifecycle, store: StoreAction, rules: PlanRules, persistent: boolean): CookieAction {
  if (state.phase === 'committed') return 'none'
  if (state.phase === 'unsaved') {
    if (store === 'set') return 'set'
    return state.clearCookie ? 'expire' : 'none'
  }
  if (state.cookie !== 'keep' || rules.rolling) return 'set'
  return (store !== 'none' || state.extended) && (persistent || rules.recordInCookie) ? 'set' : 'none'
}
