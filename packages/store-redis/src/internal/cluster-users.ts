import type { StoredSession } from '@sess/core'
import type { RedisSerializer as Serializer } from '../redis-store.js'
import { decodeRecord } from './codec.js'
import type { Driver } from './driver.js'
import { evalScript } from './eval.js'
import { BIND, DESTROY_IF_USER, READ } from './scripts.js'

// In a cluster a user index and the sessions it lists hash to different slots, so no script can update both.
// The index is therefore a superset, never a subset: an id is added on bind (before or beside the session write)
// and removed only once its session is gone, which is final (ids are never reused). A session rebound to another
// user stays in its old index until it ends; reads check the session's own userId. The index has no TTL, since a
// read that extends a session cannot reach it; pruning keeps it to about the user's live sessions.

/** Above this many ids, a bind also prunes the index of ended sessions. */
const PRUNE_ABOVE = 64

/** A user's sessions in a cluster: the per-slot counterpart of the standalone scripts. */
export interface ClusterUsers {
  bind(userId: string, sid: string): Promise<void>
  list(userId: string, now: number): Promise<Array<{ sid: string; session: StoredSession }>>
  destroy(userId: string, keepSid: string | undefined, now: number): Promise<number>
}

/** Index operations for `driver` when it is a cluster. */
export function clusterUsers(driver: Driver, prefix: string, serializer: Serializer): ClusterUsers {
  const indexKey = (userId: string): string => `${prefix}user:${userId}`
  const members = async (idx: string): Promise<string[]> => {
    const reply = await driver.send(idx, ['SMEMBERS', idx])
    return [...(reply instanceof Set || Array.isArray(reply) ? reply : [])].map(String)
  }
  const forget = async (idx: string, sids: string[]): Promise<void> => {
    if (sids.length > 0) await driver.send(idx, ['SREM', idx, ...sids])
  }

  return {
    async bind(userId, sid) {
      const idx = indexKey(userId)
      const size = Number(await evalScript(driver, BIND, idx, [sid]))
      if (size <= PRUNE_ABOVE) return
      const ids = await members(idx)
      const alive = await Promise.all(ids.map((m) => driver.send(prefix + m, ['EXISTS', prefix + m])))
      await forget(
        idx,
        ids.filter((_, i) => Number(alive[i]) === 0),
      )
    },

    async list(userId, now) {
      const idx = indexKey(userId)
      const ids = await members(idx)
      const args = (sid: string): string[] => [String(now), '0', '0', '', '0', '', sid]
      const replies = await Promise.all(ids.map((m) => evalScript(driver, READ, prefix + m, args(m))))
      const gone: string[] = []
      const found: Array<{ sid: string; session: StoredSession }> = []
      for (const [i, reply] of replies.entries()) {
        const sid = ids[i]!
        if (!Array.isArray(reply)) {
          gone.push(sid)
          continue
        }
        const session = decodeRecord(reply.slice(0, -1), serializer)
        if (session?.userId === userId && session.expiresAt > now) found.push({ sid, session })
      }
      await forget(idx, gone)
      return found
    },

    async destroy(userId, keepSid, now) {
      const idx = indexKey(userId)
      const ids = (await members(idx)).filter((m) => m !== keepSid)
      const results = await Promise.all(
        ids.map((m) => evalScript(driver, DESTROY_IF_USER, prefix + m, [userId, String(now)])),
      )
      await forget(
        idx,
        ids.filter((_, i) => Number(results[i]) !== 0),
      )
      return results.filter((r) => Number(r) === 1).length
    },
  }
}
