import { SessionStateError } from '../errors.js'
import { callStore } from '../internal/store-call.js'
import type { ResolvedOptions } from '../options.js'
import type { UserSession } from '../store.js'
import { hashSessionId } from '../store-kit/hash.js'
import { recordProblem } from '../store-kit/record.js'
import { idleSeconds } from './plan.js'
import type { SessionState } from './state.js'

/** One of a user's sessions as "your devices" shows it. */
export interface UserDevice {
  /** The listed id: pass it to `destroyUserSession` to sign that device out. Not a session id to put in a cookie. */
  id: string
  /** True for the session of the request that listed it. */
  current: boolean
  /** When the session was created, epoch milliseconds. */
  createdAt: number
  /**
   * When the session was last seen, epoch milliseconds: its last write or expiry refresh. Refreshes are throttled
   * (`touchAfter`), so it is accurate to that window and costs no write of its own.
   */
  lastSeenAt: number
  /** When the session expires unless used again, epoch milliseconds. */
  expiresAt: number
  /** The `User-Agent` that created it, when the `device.userAgent` option recorded it. */
  userAgent?: string | undefined
  /** The IP that created it, when the `device.ip` option recorded it. */
  ip?: string | undefined
}

/** Options of `session.destroyUserSessions`. */
export interface DestroyUserSessionsOptions {
  /** Keep the session of this request ("sign out everywhere else"). @default false */
  exceptCurrent?: boolean | undefined
}

const MAX_USER_AGENT_LENGTH = 512

/** Records the opt-in device metadata of a new session from the request's inputs. */
export function recordDevice(
  state: SessionState,
  enabled: ResolvedOptions['device'],
  input: { userAgent?: string | null | undefined; ip?: string | null | undefined },
): void {
  if (enabled.userAgent && typeof input.userAgent === 'string' && input.userAgent !== '') {
    state.device.userAgent = input.userAgent.slice(0, MAX_USER_AGENT_LENGTH)
  }
  if (enabled.ip && typeof input.ip === 'string' && input.ip !== '') state.device.ip = input.ip
}

/** The user's live, sound sessions, each with when it was last seen (kept by the store, or derived from the expiry). */
export async function listLive(o: ResolvedOptions, userId: string): Promise<UserSession[]> {
  const store = o.store
  if (!store.listByUser) throw unsupported('listByUser')
  const now = o.clock.now()
  const list = await callStore('listByUser', o.storeTimeout, () => store.listByUser!(userId))
  const live: UserSession[] = []
  for (const item of list) {
    const r = item.session
    if (recordProblem(r) !== undefined || r.expiresAt <= now) continue
    // Every write and refresh sets expiresAt = now + idle (capped by the absolute timeout): the instant follows.
    const derived = Math.min(now, Math.max(r.createdAt, r.expiresAt - idleSeconds(r.maxAge, o) * 1000))
    live.push({ ...item, lastSeenAt: item.lastSeenAt ?? derived })
  }
  return live
}

/** "Your devices": the sessions of the session's user, the current one marked. */
export async function listDevices(state: SessionState): Promise<UserDevice[]> {
  const list = await listLive(state.services.options, requireUser(state))
  const current = await currentIds(state)
  return list.map(({ id, session: r, lastSeenAt }) => ({
    id,
    current: current.has(id),
    createdAt: r.createdAt,
    lastSeenAt: lastSeenAt ?? r.createdAt,
    expiresAt: r.expiresAt,
    ...(r.userAgent !== undefined && { userAgent: r.userAgent }),
    ...(r.ip !== undefined && { ip: r.ip }),
  }))
}

/**
 * Signs one listed session of the session's user out; true if it was one of theirs. Only ids listed for this user
 * are accepted, so a listed id of another user revokes nothing. Revoking the current session destroys it.
 */
export async function destroyDevice(
  state: SessionState,
  listedId: string,
  destroyCurrent: () => Promise<void>,
): Promise<boolean> {
  const o = state.services.options
  const list = await listLive(o, requireUser(state))
  if (!list.some((item) => item.id === listedId)) return false
  if ((await currentIds(state)).has(listedId)) await destroyCurrent()
  else await callStore('destroy', o.storeTimeout, () => o.store.destroy(listedId))
  return true
}

/** Signs every session of the session's user out, or every other one; resolves to how many. */
export async function destroyDevices(
  state: SessionState,
  options: DestroyUserSessionsOptions | undefined,
  destroyCurrent: () => Promise<void>,
): Promise<number> {
  const o = state.services.options
  const store = o.store
  const userId = requireUser(state)
  if (!store.destroyByUser) throw unsupported('destroyByUser')
  const except = options?.exceptCurrent === true
  const keep = except && state.lifecycle.phase !== 'unsaved' ? state.id : undefined
  const n = await callStore('destroyByUser', o.storeTimeout, () => store.destroyByUser!(userId, { except: keep }))
  if (!except) await destroyCurrent()
  return n
}

/** The ids the current session may be listed under: raw, or hashed by a store that hashes ids. */
async function currentIds(state: SessionState): Promise<Set<string>> {
  return new Set([state.id, `#${await hashSessionId(state.id)}`])
}

function requireUser(state: SessionState): string {
  const userId = state.userId
  if (userId === undefined) {
    throw new SessionStateError('USER_MISSING', '[sess] No user: call session.setUser(userId) first.')
  }
  return userId
}

/** The error for a store without a per-user index. */
export function unsupported(method: string): SessionStateError {
  return new SessionStateError(
    'CAPABILITY_MISSING',
    `[sess] The store has no ${method}: use one with the per-user index (memory, Redis, MongoDB, SQL).`,
  )
}
