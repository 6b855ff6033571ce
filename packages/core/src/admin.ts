import { SessionStateError } from './errors.js'
import { callStore } from './internal/store-call.js'
import type { ResolvedOptions } from './options.js'
import type { UserSession } from './store.js'
import { recordProblem } from './store-kit/record.js'

/** Per-user administration across requests ("your devices", "log out everywhere"). */
export interface UserSessions {
  /** The live sessions bound to a user ("your devices"). Needs a store with `listByUser`. */
  listUserSessions(userId: string): Promise<UserSession[]>
  /** Destroys every session of a user, optionally except one (e.g. the current); resolves to how many. */
  destroyUserSessions(userId: string, options?: { except?: string | undefined }): Promise<number>
}

/** Per-user listing and revocation on the configured store. */
export function userSessions(o: ResolvedOptions): UserSessions {
  return {
    async listUserSessions(userId) {
      const store = o.store
      if (!store.listByUser) throw unsupported('listByUser')
      assertUserId(userId)
      const now = o.clock.now()
      const list = await callStore('listByUser', o.storeTimeout, () => store.listByUser!(userId))
      return list.filter((s) => recordProblem(s.session) === undefined && s.session.expiresAt > now)
    },
    async destroyUserSessions(userId, options) {
      const store = o.store
      if (!store.destroyByUser) throw unsupported('destroyByUser')
      assertUserId(userId)
      return callStore('destroyByUser', o.storeTimeout, () => store.destroyByUser!(userId, options))
    },
  }
}

function assertUserId(userId: unknown): void {
  if (typeof userId !== 'string' || userId === '') {
    throw new SessionStateError('ARGUMENT_INVALID', '[sess] Pass the user id: a non-empty string.')
  }
}

function unsupported(method: string): SessionStateError {
  return new SessionStateError(
    'CAPABILITY_MISSING',
    `[sess] This store does not implement ${method}; use a store with the per-user index (memory, Redis, MongoDB).`,
  )
}
