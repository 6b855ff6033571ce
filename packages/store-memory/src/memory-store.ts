import type { Clock, PatchResult, SessionPatch, Store, StoredSession, UserSession } from '@sess/core'
import { applyPatch, SessionConfigError, touchedExpiresAt, ttlSeconds } from '@sess/core'
import type { EvictionTier } from './internal/eviction.js'
import { evictionTier, TieredLRU } from './internal/eviction.js'
import { UserIndex } from './internal/user-index.js'

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most sessions held; a write beyond it evicts the least recently used empty session, and only when none is left
   * one carrying data, and only then one bound to a user, so anonymous traffic cannot push out logged-in users.
   * @default 10000 (sessions)
   */
  max?: number | undefined
  /**
   * Seconds between background sweeps of expired sessions; `0` for none. The timer never keeps a process alive.
   * Without it, writes still sweep a few entries each, so expired sessions cannot pile up; leave it off on
   * Cloudflare Workers, which forbid timers in global scope. @default 0 (seconds)
   */
  sweepInterval?: number | undefined
  /** Time source, epoch milliseconds; tests pass a fake one. @default Date.now */
  clock?: Clock | undefined
}

/**
 * A {@link Store} with every optional capability, plus the means to inspect and stop it. Its store methods answer
 * synchronously (the data is in this process), so the core reads and writes it without a tick; `await` them as any
 * store's.
 */
export interface MemoryStore extends Required<Store> {
  /** Entries held right now, including expired ones not yet swept. */
  readonly size: number
  /** Removes every expired session now; returns how many. */
  sweep(): number
  /** Stops the background sweep (the store keeps working). */
  stop(): void
  /**
   * Every live session in eviction order: empty ones, then ones with data, then user-bound ones, least recently used
   * first within each (for admin pages and express-session's `MemoryStore#all`).
   */
  all(): Promise<UserSession[]>
}

interface Entry {
  /** The session id it is held under (the sweep walks entries, not ids). */
  readonly id: string
  /** The record's data as JSON, so nothing is shared by reference and values behave as they would in Redis. */
  data: string
  /**
   * The data parsed, kept from the first read when every value in it is a primitive (a counter, a user id, flags):
   * later reads hand out a shallow copy, the same object JSON.parse would build, without parsing again. Inside a
   * server, between two requests of a framework, a parse of even `{"n":1}` costs microseconds of cold caches.
   * Cleared whenever the data changes.
   */
  flat: Record<string, unknown> | undefined
  /**
   * The record's other fields (numbers and strings: timestamps, version, user), copied, never handed out: a read
   * copies them again. Kept apart from the data so a read parses only the data, and a touch parses nothing.
   */
  meta: Meta
  /** When the entry stops being served: the earlier of the TTL and the record's expiresAt. */
  deadline: number
  userId: string | undefined
  tier: EvictionTier
}

/**
 * A record's fields but its data, in one fixed shape (every record's meta has the same hidden class, so reading one
 * back is a plain object literal). Fields a record carries beyond these are kept as JSON in `extra`.
 */
interface Meta {
  readonly createdAt: number
  readonly expiresAt: number
  readonly version: number
  readonly userId: string | undefined
  readonly maxAge: number | null | undefined
  readonly userAgent: string | undefined
  readonly ip: string | undefined
  readonly extra: string | undefined
}

const KNOWN = new Set(['data', 'createdAt', 'expiresAt', 'version', 'userId', 'maxAge', 'userAgent', 'ip'])

/** The record's fields but `data`, copied as JSON would copy them. */
function metaOf(record: StoredSession): Meta {
  let extra: Record<string, unknown> | undefined
  for (const key of Object.keys(record)) if (!KNOWN.has(key)) (extra ??= {})[key] = (record as never)[key]
  return {
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    version: record.version,
    userId: record.userId,
    maxAge: record.maxAge,
    userAgent: record.userAgent,
    ip: record.ip,
    extra: extra === undefined ? undefined : JSON.stringify(extra),
  }
}

/** The same meta with another expiry. */
function retimed(meta: Meta, expiresAt: number): Meta {
  const { createdAt, version, userId, maxAge, userAgent, ip, extra } = meta
  return { createdAt, expiresAt, version, userId, maxAge, userAgent, ip, extra }
}

/** The entry's data as a fresh object: parsed from its JSON, or copied from its flat form (see {@link Entry.flat}). */
function dataOf(entry: Entry): StoredSession['data'] {
  if (entry.flat !== undefined) return { ...entry.flat }
  const data = JSON.parse(entry.data) as StoredSession['data']
  entry.flat = flatOf(data)
  return entry.flat === undefined ? data : { ...data }
}

/**
 * Data that nothing else holds (just parsed, or a patch applied to a fresh copy) in the flat form of
 * {@link Entry.flat}: the object itself when each value is one its JSON gives back unchanged (a string, a boolean,
 * null, a finite number other than -0), else undefined (the next read parses the JSON). Kept after a patch too, so a
 * session written on every request is not parsed again on every request.
 */
function flatOf(data: StoredSession['data']): Record<string, unknown> | undefined {
  for (const value of Object.values(data)) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue
    if (typeof value !== 'number' || !Number.isFinite(value) || Object.is(value, -0)) return undefined
  }
  return data
}

/** A fresh record from an entry's parts (JSON's view of it: no field that is undefined). */
function recordOf(meta: Meta, data: StoredSession['data']): StoredSession {
  const record: StoredSession = {
    data,
    createdAt: meta.createdAt,
    expiresAt: meta.expiresAt,
    version: meta.version,
  }
  if (meta.userId !== undefined) record.userId = meta.userId
  if (meta.maxAge !== undefined) record.maxAge = meta.maxAge
  if (meta.userAgent !== undefined) record.userAgent = meta.userAgent
  if (meta.ip !== undefined) record.ip = meta.ip
  if (meta.extra !== undefined) Object.assign(record, JSON.parse(meta.extra))
  return record
}

// Each new entry examines this many entries for expiry: more than the one entry it adds, so the sweep cursor
// outpaces growth and every expired entry is found within a bounded number of new sessions. (A rewrite of a held
// session adds none, so it sweeps nothing.)
const SWEEP_STEP = 4

/**
 * A bounded in-memory session store: LRU eviction at `max` (empty sessions first, user-bound ones last), expiry checked on every read, and a sweep that never
 * keeps the process alive. Runs on any runtime. Sessions live in one process, so use Redis or MongoDB once an
 * app runs more than one.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@sess/core'
 * import { memoryStore } from '@sess/store-memory'
 *
 * const manager = createSessionManager({ secret: process.env.SESSION_SECRET!, store: memoryStore({ max: 50_000 }) })
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const max = options.max ?? 10_000
  const sweepInterval = options.sweepInterval ?? 0
  const clock = options.clock ?? { now: () => Date.now() }
  if (!Number.isInteger(max) || max < 1) invalid('max must be a positive whole number of sessions')
  if (!(Number.isFinite(sweepInterval) && sweepInterval >= 0)) invalid('sweepInterval must be 0 or more seconds')

  const entries = new TieredLRU<Entry>()
  const users = new UserIndex()
  let cursor = entries.cursor()

  const removeEntry = (entry: Entry): void => {
    entries.delete(entry.id, entry)
    users.remove(entry.userId, entry.id)
  }
  const remove = (id: string): void => {
    const entry = entries.get(id)
    if (entry !== undefined) removeEntry(entry)
  }
  const live = (id: string, now: number): Entry | undefined => {
    const entry = entries.get(id)
    if (entry === undefined || entry.deadline > now) return entry
    removeEntry(entry)
    return undefined
  }
  const bump = (id: string, entry: Entry): void => entries.bump(id, entry)
  const read = (entry: Entry): StoredSession => recordOf(entry.meta, dataOf(entry))
  const sweepSome = (now: number): void => {
    for (let i = 0; i < SWEEP_STEP; i++) {
      const entry = cursor.next()
      if (entry === undefined) return
      if (entry.deadline <= now) removeEntry(entry)
    }
  }
  /** Holds a record; `flat`: its data in flat form, when known (see {@link flatOf}). */
  const put = (id: string, record: StoredSession, ttl: number, now: number, flat?: Entry['flat']): void =>
    hold(id, JSON.stringify(record.data), metaOf(record), ttl, now, flat)
  /**
   * Holds a record given as its data's JSON and its other fields, and the data in flat form when known (all owned by
   * the entry from now on).
   */
  const hold = (id: string, data: string, meta: Meta, ttl: number, now: number, flat: Entry['flat']): void => {
    const deadline = Math.min(now + ttl * 1000, meta.expiresAt)
    const userId = typeof meta.userId === 'string' ? meta.userId : undefined
    const tier = evictionTier(userId, data)
    const held = entries.get(id)
    if (held !== undefined && deadline > now && held.tier === tier && held.userId === userId) {
      // The same session rewritten (a patch, a touch): its entry is updated in place rather than replaced, so a
      // write leaves no new long-lived object behind but its JSON.
      if (held.data !== data || held.flat === undefined) held.flat = flat
      held.data = data
      held.meta = meta
      held.deadline = deadline
      entries.bump(id, held)
      return
    }
    remove(id)
    sweepSome(now)
    if (deadline <= now) return
    entries.set(id, { id, data, flat, meta, deadline, userId, tier })
    users.add(userId, id)
    while (entries.size > max) remove(entries.victim()!)
  }
  /** The entry's record with a new expiry, its data as it is (nothing parsed). */
  const retime = (id: string, entry: Entry, expiresAt: number, ttl: number, now: number): void =>
    hold(id, entry.data, retimed(entry.meta, expiresAt), ttl, now, entry.flat)
  const sweep = (): number => {
    const now = clock.now()
    const before = entries.size
    for (const [id, entry] of entries) if (entry.deadline <= now) remove(id)
    return before - entries.size
  }

  let timer: ReturnType<typeof setInterval> | undefined
  if (sweepInterval > 0) {
    timer = setInterval(sweep, sweepInterval * 1000)
    // A sweep is housekeeping: it must never be the reason a server or test run fails to exit.
    ;(timer as unknown as { unref?: () => void }).unref?.()
    ;(globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno?.unrefTimer?.(timer as unknown as number)
  }

  return {
    get size() {
      return entries.size
    },
    sweep,
    stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
    },
    get(id) {
      const entry = live(id, clock.now())
      if (entry === undefined) return null
      bump(id, entry)
      return read(entry)
    },
    set(id, session, ttl) {
      put(id, session, ttl, clock.now())
    },
    destroy(id) {
      remove(id)
    },
    getAndTouch(id, policy) {
      const now = clock.now()
      const entry = live(id, now)
      if (entry === undefined) return null
      const session = read(entry)
      const next = touchedExpiresAt(session, policy)
      if (next === undefined) {
        bump(id, entry)
        return { session, touched: false }
      }
      session.expiresAt = next
      retime(id, entry, next, ttlSeconds(next, policy.now), now)
      return { session, touched: true }
    },
    touch(id, expiresAt, ttl) {
      const now = clock.now()
      const entry = live(id, now)
      if (entry !== undefined) retime(id, entry, expiresAt, ttl, now)
    },
    patch(id: string, patch: SessionPatch, ttl: number): PatchResult {
      const now = clock.now()
      const entry = live(id, now)
      if (entry === undefined) return 'missing'
      const record = read(entry)
      if (applyPatch(record, patch) === 'conflict') return 'conflict'
      put(id, record, ttl, now, flatOf(record.data))
      return 'ok'
    },
    async all() {
      const now = clock.now()
      const list: UserSession[] = []
      for (const [id, entry] of entries) if (entry.deadline > now) list.push({ id, session: read(entry) })
      return list
    },
    listByUser(userId) {
      const now = clock.now()
      const list: UserSession[] = []
      for (const id of users.ids(userId)) {
        const entry = live(id, now)
        if (entry !== undefined) list.push({ id, session: read(entry) })
      }
      return list
    },
    destroyByUser(userId, options) {
      const now = clock.now()
      let destroyed = 0
      for (const id of users.ids(userId)) {
        if (id === options?.except || live(id, now) === undefined) continue
        remove(id)
        destroyed++
      }
      return destroyed
    },
    clear() {
      entries.clear()
      users.clear()
      cursor = entries.cursor()
    },
    count() {
      sweep()
      return entries.size
    },
  } satisfies MemoryStore
}

function invalid(problem: string): never {
  throw new SessionConfigError('OPTION_INVALID', `[sess] [store-memory] ${problem}; fix the memoryStore() options.`)
}
