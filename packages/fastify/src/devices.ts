import type { AdapterDestroyUserSessionsOptions, UserSessionCalls } from '@sess/core'
import { userSessionCalls } from '@sess/core'
import type { SessionState } from './session-state.js'

/** Options of `request.session.destroyUserSessions`: `exceptCurrent`, and `userId` for another user's sessions. */
export type DestroyUserSessionsOptions = AdapterDestroyUserSessionsOptions

/** Core's per-user calls over this request's session; one that ends it leaves the request as `destroy()` does. */
export function devices(state: SessionState): UserSessionCalls {
  return userSessionCalls(state.core, state.ctx.manager, () => ended(state))
}

// As `request.session.destroy()` leaves the request: `request.session` null, the cookie expired.
function ended(state: SessionState): void {
  state.destroyed = true
  ;(state.request as { session: unknown }).session = null
}
