import type { AsyncStore, Clock, PatchResult, SessionPatch, StoredSession, TouchPolicy, UserSession } from '@sess/core'
import { hashSessionId, invalidRecord, SessionConfigError } from '@sess/core'
import type { RedisClientLike } from './client.js'
import { clusterUsers } from './internal/cluster-users.js'
import {
  DATA_FIELD_PREFIX,
  decodeRecord,
  encodeMaxAge,
  encodeRecord,
  encodeValue,
  flatPairs,
} from './internal/codec.js'
import { createDriver } from './internal/driver.js'
import { evalScript } from './internal/eval.js'
import { escapeGlob, HASHED_ID_MARK } from './internal/keys.js'
import { scanNode } from './internal/scan.js'
import type { LuaScript } from './internal/scripts.js'
import { DESTROY, DESTROY_USER, LIST_USER, PATCH, READ, SET, TOUCH, UNTOUCH } from './internal/scripts.js'

/** Turns each top-level session value into the text of its own hash field, and back. */
export interface RedisSerializer {
  stringify(value: unknown): string
  parse(text: string): unknown
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * The app's client, already set up: node-redis v4+ (`createClient`, `createCluster`, `createSentinel`) or ioredis
   * (`Redis`, `Cluster`). The store never connects or quits it, and sets no client options.
   */
  client: RedisClientLike
  /**
   * Prefix of every key: a session lives at `prefix + id`, a user index at `prefix + 'user:' + userId`. Must not be
   * empty, since `clear()` removes every key under it. @default 'sess:'
   */
  prefix?: string | undefined
  /** Encodes each top-level data value into its own hash field. @default JSON */
  serializer?: RedisSerializer | undefined
  /**
   * Store each session under `hashSessionId(id)` (from @sess/core: SHA-256, hex), so a leaked dump or a key listing
   * holds no usable cookie id. `listByUser` then lists ids as `'#' + hashSessionId(id)`, which `destroy` and
   * `destroyByUser`'s `except` accept as they are (a cookie naming one never loads a session). @default false
   */
  hashIds?: boolean | undefined
  /**
   * Source of the current time, epoch milliseconds: by it the store never returns, refreshes, lists or counts a
   * record past its `expiresAt`, whatever TTL the server still holds. Pass the manager's clock. @default Date.now
   */
  clock?: Clock | undefined
  /**
   * Whether a session and its user index may live on different nodes. When true, index updates are separate
   * commands instead of part of the session's script. @default true for node-redis `createCluster` and ioredis
   * `Cluster`, false otherwise
   */
  cluster?: boolean | undefined
}

/** A {@link AsyncStore} with every optional capability. */
export type RedisStore = Required<AsyncStore>

const DEFAULT_PREFIX = 'sess:'

/**
 * A session store on Redis: one hash per session, with one field per top-level key so patches from concurrent
 * requests merge on the server; a read and its throttled expiry refresh in one script, so a request costs one
 * round trip; a per-user index for "log out everywhere".
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { createSessionManager } from '@sess/core'
 * import { redisStore } from '@sess/store-redis'
 *
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true })
 * client.on('error', (error) => console.error('redis', error))
 * await client.connect()
 * const manager = createSessionManager({ secret: process.env.SESSION_SECRET!, store: redisStore({ client }) })
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== 'object' || options === null) invalid('Pass an options object with a client.')
  const prefix = options.prefix ?? DEFAULT_PREFIX
  if (typeof prefix !== 'string' || prefix === '') invalid('prefix must be a non-empty string.')
  const serializer = options.serializer ?? JSON
  if (typeof serializer?.stringify !== 'function' || typeof serializer.parse !== 'function') {
    invalid('serializer must have stringify(value) and parse(text) functions.')
  }
  const hashIds = options.hashIds ?? false
  const clock = options.clock ?? { now: () => Date.now() }
  const driver = createDriver(options.client, options.cluster)
  const userPrefix = `${prefix}user:`
  // Standalone scripts maintain the user index themselves; '' tells them not to (cluster).
  const indexArg = driver.cluster ? '' : userPrefix
  const cluster = driver.cluster ? clusterUsers(driver, prefix, serializer) : undefined

  const stored = (id: string): string | Promise<string> => (hashIds ? hashSessionId(id) : id)
  // Only the administrative calls take a listed '#' id: a cookie naming one can never load a session.
  const storedOrListed = (id: string): string | Promise<string> =>
    hashIds && id.startsWith(HASHED_ID_MARK) ? id.slice(HASHED_ID_MARK.length) : stored(id)
  const listed = (sid: string): string => (hashIds ? HASHED_ID_MARK + sid : sid)
  const run = (script: LuaScript, sid: string, args: string[]): Promise<unknown> =>
    evalScript(driver, script, prefix + sid, args)
  // Redis expires the key at the very instant the core computed (never a key without a TTL).
  const expireAt = (expiresAt: number, ttl: number): string =>
    String(Number.isFinite(expiresAt) ? Math.ceil(expiresAt) : clock.now() + Math.max(1, ttl) * 1000)

  const read = async (
    id: string,
    now: number,
    policy?: TouchPolicy,
  ): Promise<{ session: StoredSession; touched: boolean } | null> => {
    const sid = await stored(id)
    const touch = policy
      ? ['1', String(policy.idleTimeout), policy.absoluteTimeout === null ? '' : String(policy.absoluteTimeout)]
      : ['0', '0', '']
    const reply = await run(READ, sid, [String(now), ...touch, String(policy?.touchAfter ?? 0), indexArg, sid])
    // 0: no key; 1: a key that is not a hash (foreign or corrupt): no session either, but reported as such.
    if (!Array.isArray(reply))
      return Number(reply) === 1 ? { session: invalidRecord('not a hash'), touched: false } : null
    const before = String(reply.at(-1) ?? '')
    const session = decodeRecord(reply.slice(0, -1), serializer)
    if (session === undefined) {
      // The script refreshes only records whose fields it can check; a data value that does not parse is found
      // here, and the refresh is undone: the core rejects this record, so it must end when it would have.
      if (before !== '') await run(UNTOUCH, sid, [String(expiresOf(reply)), before])
      return { session: invalidRecord('undecodable fields'), touched: false }
    }
    if (session.expiresAt <= now) return null
    return { session, touched: before !== '' }
  }

  return {
    async get(id) {
      return (await read(id, clock.now()))?.session ?? null
    },

    async getAndTouch(id, policy) {
      return read(id, policy.now, policy)
    },

    async set(id, session, ttl) {
      const sid = await stored(id)
      const user = typeof session.userId === 'string' ? session.userId : ''
      const fields = encodeRecord(session, serializer)
      const write = run(SET, sid, [expireAt(session.expiresAt, ttl), prefix, indexArg, sid, user, ...fields])
      await Promise.all([write, user !== '' ? cluster?.bind(user, sid) : undefined])
    },

    async patch(id, patch: SessionPatch, ttl): Promise<PatchResult> {
      const sid = await stored(id)
      const sets = Object.entries(patch.set).flatMap(([key, value]) => [
        DATA_FIELD_PREFIX + key,
        encodeValue(serializer, key, value),
      ])
      const user = patch.userId === undefined ? ['', ''] : patch.userId === null ? ['-', ''] : ['=', patch.userId]
      const args = [
        String(clock.now()),
        String(patch.expiresAt),
        expireAt(patch.expiresAt, ttl),
        patch.expectedVersion === undefined ? '' : String(patch.expectedVersion),
        ...user,
        patch.maxAge === undefined ? '' : encodeMaxAge(patch.maxAge),
        prefix,
        indexArg,
        sid,
        String(sets.length / 2),
        ...sets,
        ...patch.unset.map((key) => DATA_FIELD_PREFIX + key),
      ]
      const bound = typeof patch.userId === 'string' ? cluster?.bind(patch.userId, sid) : undefined
      const [result] = await Promise.all([run(PATCH, sid, args), bound])
      return result === 'ok' || result === 'conflict' ? result : 'missing'
    },

    async touch(id, expiresAt, ttl) {
      const sid = await stored(id)
      await run(TOUCH, sid, [String(clock.now()), String(expiresAt), expireAt(expiresAt, ttl), indexArg, sid])
    },

    async destroy(id) {
      const sid = await storedOrListed(id)
      // A cluster leaves the index entry for pruning: the index is allowed to be a superset there.
      if (cluster) await driver.send(prefix + sid, ['UNLINK', prefix + sid])
      else await run(DESTROY, sid, [userPrefix, sid])
    },

    async listByUser(userId): Promise<UserSession[]> {
      const now = clock.now()
      if (cluster) return (await cluster.list(userId, now)).map(({ sid, session }) => ({ id: listed(sid), session }))
      const idx = userPrefix + userId
      const reply = await evalScript(driver, LIST_USER, idx, [prefix, userId])
      const found: UserSession[] = []
      const flat = Array.isArray(reply) ? reply : []
      for (let i = 0; i + 1 < flat.length; ) {
        const sid = String(flat[i])
        const n = Number(flat[i + 1])
        const session = decodeRecord(flat.slice(i + 2, i + 2 + n), serializer)
        if (session !== undefined && session.expiresAt > now) found.push({ id: listed(sid), session })
        i += 2 + n
      }
      return found
    },

    async destroyByUser(userId, options) {
      const keep = options?.except === undefined ? undefined : await storedOrListed(options.except)
      const now = clock.now()
      if (cluster) return cluster.destroy(userId, keep, now)
      const idx = userPrefix + userId
      return Number(await evalScript(driver, DESTROY_USER, idx, [prefix, userId, keep ?? '', String(now)]))
    },

    async clear() {
      for (const send of await driver.masters()) {
        await scanNode(send, `${escapeGlob(prefix)}*`, undefined, async (keys) => {
          // Keys on one node may still sit in different slots, and a multi-key command must stay in one.
          if (cluster) await Promise.all(keys.map((key) => driver.send(key, ['UNLINK', key])))
          else await send(['UNLINK', ...keys])
        })
      }
    },

    async count() {
      // Sessions are the hashes under the prefix; user indexes are sets, so TYPE leaves them out. Each is read and
      // decoded, so the count holds exactly what get would return (an administrative call, not a per-request one).
      const now = clock.now()
      const seen = new Set<string>()
      let live = 0
      for (const send of await driver.masters()) {
        await scanNode(send, `${escapeGlob(prefix)}*`, 'hash', async (keys) => {
          const fresh = keys.filter((key) => !seen.has(key))
          for (const key of fresh) seen.add(key)
          const replies = await Promise.all(fresh.map((key) => driver.send(key, ['HGETALL', key])))
          for (const reply of replies) {
            const session = decodeRecord(flatPairs(reply), serializer)
            if (session !== undefined && session.expiresAt > now) live++
          }
        })
      }
      return live
    },
  } satisfies RedisStore
}

/** The expiresAt text in READ's reply (pairs plus one flag), for undoing its refresh. */
function expiresOf(reply: unknown[]): unknown {
  for (let i = 0; i + 1 < reply.length - 1; i += 2) if (reply[i] === 'expiresAt') return reply[i + 1]
  return ''
}

function invalid(message: string): never {
  throw new SessionConfigError('OPTION_INVALID', `[sess] [store-redis] ${message}`)
}
