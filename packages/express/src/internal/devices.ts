import type { Session as CoreSession, SessionManager, UserDevice, UserSession } from '@sess/core'

/** What "your devices" needs of one request's session state (the adapter's per-request state satisfies it). */
export interface DeviceState {
  readonly core: CoreSession<object>
  readonly manager: SessionManager<object>
  readonly req: { session?: unknown; sessionID?: unknown }
  /** Set when the current session ends: the response then expires its cookie, as after `destroy()`. */
  destroyed: boolean
}

/** Options of `req.session.destroyUserSessions`. */
export interface DestroyUserSessionsOptions {
  /** Keep the session of this request ("sign out everywhere else"). @default false */
  exceptCurrent?: boolean | undefined
  /** Another user's sessions (an admin tool); by default this session's user. */
  userId?: string | undefined
}

/** "Your devices" from core (current marked), or with a user id the admin listing of that user's sessions. */
export function listSessions(state: DeviceState, userId?: string): Promise<UserDevice[] | UserSession[]> {
  return userId === undefined ? state.core.listUserSessions() : state.manager.listUserSessions(userId)
}

/** Signs out one listed session of this session's user; revoking the current one ends it as `destroy()` does. */
export async function destroyListed(state: DeviceState, listedId: string): Promise<boolean> {
  const before = state.core.id
  const found = await state.core.destroyUserSession(listedId)
  if (state.core.id !== before) ended(state)
  return found
}

/** Signs out every session of this session's user (or of `userId`), optionally except this one. */
export async function destroyAll(state: DeviceState, options?: DestroyUserSessionsOptions): Promise<number> {
  if (options?.userId !== undefined) {
    const except = options.exceptCurrent ? state.core.id : undefined
    return state.manager.destroyUserSessions(options.userId, { except })
  }
  const before = state.core.id
  const count = await state.core.destroyUserSessions({ exceptCurrent: options?.exceptCurrent === true })
  if (state.core.id !== before) ended(state)
  return count
}

// As `req.session.destroy()` leaves the request: no `req.session`, the new (unsaved) id, the cookie expired.
function ended(state: DeviceState): void {
  state.destroyed = true
  if (!state.core.committed) delete state.req.session
  state.req.sessionID = state.core.id
}
