import type {
  AdapterDestroyUserSessionsOptions,
  Session as CoreSession,
  SessionManager,
  UserSessionCalls,
} from '@sess/core'
import { userSessionCalls } from '@sess/core'
import { removeSession } from './slots.js'

/** What "your devices" needs of one request's session state (the adapter's per-request state satisfies it). */
export interface DeviceState {
  readonly core: CoreSession<object>
  readonly manager: SessionManager<object>
  readonly req: { session?: unknown; sessionID?: unknown }
  /** Set when the current session ends: the response then expires its cookie, as after `destroy()`. */
  destroyed: boolean
}

/** Options of `req.session.destroyUserSessions`: `exceptCurrent`, and `userId` for another user's sessions. */
export type DestroyUserSessionsOptions = AdapterDestroyUserSessionsOptions

/** Core's per-user calls over this request's session; one that ends it leaves the request as `destroy()` does. */
export function devices(state: DeviceState): UserSessionCalls {
  return userSessionCalls(state.core, state.manager, () => ended(state))
}

// As `req.session.destroy()` leaves the request: no `req.session`, the new (unsaved) id, the cookie expired.
function ended(state: DeviceState): void {
  state.destroyed = true
  if (!state.core.committed) removeSession(state.req)
  state.req.sessionID = state.core.id
}
