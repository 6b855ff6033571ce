import type { UserDevice, UserSession } from '@sess/core'
import type { SessionState } from './session-state.js'

/** Options of `request.session.destroyUserSessions`. */
export interface DestroyUserSessionsOptions {
  /** Keep the session of this request ("sign out everywhere else"). @default false */
  exceptCurrent?: boolean | undefined
  /** Another user's sessions (an admin tool); by default this session's user. */
  userId?: string | undefined
}

/** "Your devices" from core (current marked), or with a user id the admin listing of that user's sessions. */
export function listSessions(state: SessionState, userId?: string): Promise<UserDevice[] | UserSession[]> {
  return userId === undefined ? state.core.listUserSessions() : state.ctx.manager.listUserSessions(userId)
}

/** Signs out one listed session of this session's user; revoking the current one ends it as `destroy()` does. */
export async function destroyListed(state: SessionState, listedId: string): Promise<boolean> {
  const before = state.core.id
  const found = await state.core.destroyUserSession(listedId)
  if (state.core.id !== before) ended(state)
  return found
}

/** Signs out every session of this session's user (or of `userId`), optionally except this one. */
export async function destroyAll(state: SessionState, options?: DestroyUserSessionsOptions): Promise<number> {
  if (options?.userId !== undefined) {
    const except = options.exceptCurrent ? state.core.id : undefined
    return state.ctx.manager.destroyUserSessions(options.userId, { except })
  }
  const before = state.core.id
  const count = await state.core.destroyUserSessions({ exceptCurrent: options?.exceptCurrent === true })
  if (state.core.id !== before) ended(state)
  return count
}

// As `request.session.destroy()` leaves the request: `request.session` null, the cookie expired.
function ended(state: SessionState): void {
  state.destroyed = true
  ;(state.request as { session: unknown }).session = null
}
