import { SessionStateError } from './errors.js'
import { callStore } from './internal/store-call.js'
import type { ResolvedOptions } from './options.js'
import { listLive, unsupported } from './session/devices.js'
import type { UserSession } from './store.js'

/** Per-user administration across requests ("your devices", "log out everywhere"). */
export interface UserSessions {
  /**
   * The live sessions bound to a user ("your devices"), each with `lastSeenAt`. Needs a store with `listByUser`.
   * Within a request, `session.listUserSessions()` also marks the current session.
   */
  listUserSessions(userId: string): Promise<UserSession[]>
  /** Destroys every session of a user, optionally except one (e.g. the current); resolves to how many. */
  destroyUserSessions(userId: string, options?: { except?: string | undefined }): Promise<number>
}

/** Per-user listing and revocation on the configured store. */
export function userSessions(o: ResolvedOptions): UserSessions {
  return {
    async listUserSessions(userId) {
      assertUserId(userId, 'listUserSessions')
      return listLive(o, userId)
    },
    async destroyUserSessions(userId, options) {
      const store = o.store
      if (!store.destroyByUser) throw unsupported('destroyByUser')
      assertUserId(userId, 'destroyUserSessions')
      return callStore('destroyByUser', o.storeTimeout, () => store.destroyByUser!(userId, options))
    },
  }
}

function assertUserId(userId: unknown, method: string): void {
  if (typeof userId !== 'string' || userId === '') {
    throw new SessionStateError(
      'ARGUMENT_INVALID',
      `[sess] ${method}(userId) takes a non-empty user id (as given to session.setUser).`,
    )
  }
}
