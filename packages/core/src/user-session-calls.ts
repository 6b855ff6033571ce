import type { UserSessions } from './admin.js'
import type { DestroyUserSessionsOptions, UserDevice } from './session/devices.js'
import type { Session } from './session/session.js'
import type { UserSession } from './store.js'

/** Options of the Express and Fastify sessions' `destroyUserSessions`: core's, plus another user for an admin tool. */
export interface AdapterDestroyUserSessionsOptions extends DestroyUserSessionsOptions {
  /** Another user's sessions (an admin tool); by default this session's user. */
  userId?: string | undefined
}

/** The per-user calls on an Express or Fastify session object ("your devices", log out everywhere). */
export interface UserSessionCalls {
  /** "Your devices" (the current session marked); with a user id, that user's sessions as the store lists them. */
  listUserSessions(userId?: string): Promise<UserDevice[] | UserSession[]>
  /** Signs out one listed session of this session's user; revoking the current one ends it as `destroy()` does. */
  destroyUserSession(listedId: string): Promise<boolean>
  /** Signs out every session of this session's user (or of `userId`), optionally except this one; how many. */
  destroyUserSessions(options?: AdapterDestroyUserSessionsOptions): Promise<number>
}

/**
 * The per-user calls as the Express and Fastify adapters offer them on their session objects, over one request's
 * core session and the manager's {@link UserSessions}: without a user id they are the session's own calls, with one
 * the manager's (`exceptCurrent` then keeps this request's session). `ended` runs when a call ended the request's
 * own session (it was revoked, or signed out with the rest), so that the adapter leaves the request as its
 * `destroy()` does; the session is then already destroyed in core, its cookie expiring at commit.
 */
export function userSessionCalls(session: Session<object>, admin: UserSessions, ended: () => void): UserSessionCalls {
  // Ending a session issues a new id: no other operation of these calls changes it.
  const endedBy = async <T>(call: () => Promise<T>): Promise<T> => {
    const before = session.id
    const result = await call()
    if (session.id !== before) ended()
    return result
  }
  return {
    listUserSessions: (userId) => (userId === undefined ? session.listUserSessions() : admin.listUserSessions(userId)),
    destroyUserSession: (listedId) => endedBy(() => session.destroyUserSession(listedId)),
    destroyUserSessions: (options) => {
      if (options?.userId === undefined) {
        const exceptCurrent = options?.exceptCurrent === true
        return endedBy(() => session.destroyUserSessions({ exceptCurrent }))
      }
      return admin.destroyUserSessions(options.userId, { except: options.exceptCurrent ? session.id : undefined })
    },
  }
}
