import type { AsyncStore, Clock, StoredSession } from '@sess/core'
import { invalidRecord, recordProblem } from '@sess/core'
import type { Storage } from 'unstorage'

/** Options of {@link unstorageStore}. */
export interface UnstorageStoreOptions {
  /** The unstorage instance the app owns (`createStorage({ driver })`). */
  storage: Storage
  /** Key prefix, so sessions share a storage with other data safely. @default 'sess:' */
  prefix?: string | undefined
  /**
   * Smallest TTL in seconds handed to the driver: Cloudflare KV rejects `expirationTtl` under 60. Shorter sessions
   * still end on time, because every read checks the record's own expiry. @default 60
   */
  minTtl?: number | undefined
  /**
   * Source of the current time, epoch milliseconds: by it the store never returns or counts a record past its
   * `expiresAt` (drivers without native TTL keep records). Pass the manager's clock. @default Date.now
   */
  clock?: Clock | undefined
}

/** The store {@link unstorageStore} returns: the required methods plus `clear` and `count`. */
export interface UnstorageStore extends AsyncStore {
  clear(): Promise<void>
  count(): Promise<number>
}

interface Envelope {
  /** The record. */
  r: StoredSession
  /** Epoch ms after which the record is gone: the earlier of its expiry and its TTL. */
  x: number
}

const decoder = new TextDecoder()

/** Raw values come back as strings from most drivers and as bytes from some (fs). */
function text(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw
  if (raw instanceof Uint8Array) return decoder.decode(raw)
  if (raw instanceof ArrayBuffer) return decoder.decode(new Uint8Array(raw))
  return undefined
}

/**
 * The record in a stored value: `null` for no value or one past its expiry, `invalidRecord(reason)` for a value
 * that is not one of ours or is corrupt (the core then starts a fresh session and reports `record-invalid`).
 */
function open(raw: unknown, now: number): StoredSession | null {
  if (raw === null || raw === undefined) return null
  const json = text(raw)
  if (json === undefined) return invalidRecord('not text')
  let envelope: Partial<Envelope> | null
  try {
    envelope = JSON.parse(json) as Partial<Envelope> | null
  } catch {
    return invalidRecord('not JSON')
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.x !== 'number') {
    return invalidRecord('not a session envelope')
  }
  if (envelope.x <= now) return null
  const problem = recordProblem(envelope.r)
  if (problem !== undefined) return invalidRecord(problem)
  const record = envelope.r as StoredSession
  return record.expiresAt <= now ? null : record
}

/** Whether a stored value holds a live record that get would return. */
const readable = (raw: unknown, now: number): boolean => {
  const record = open(raw, now)
  return record !== null && recordProblem(record) === undefined
}

/**
 * A session store over any unstorage driver: Cloudflare KV, Deno KV, Upstash, Vercel KV, Netlify Blobs, Redis, the
 * file system and the rest. Values are written raw (our own JSON), so the driver never re-parses session data, and
 * the TTL is passed through where the driver supports it.
 *
 * KV stores are eventually consistent and have no atomic read-modify-write, so this store offers neither `patch`
 * nor `touch`: a changed session is written whole (last writer wins), and a destroy may take a moment to be seen
 * everywhere (Cloudflare KV: up to 60 s in other locations).
 *
 * @example
 * ```ts
 * import { createStorage } from 'unstorage'
 * import cloudflareKVBindingDriver from 'unstorage/drivers/cloudflare-kv-binding'
 * const store = unstorageStore({ storage: createStorage({ driver: cloudflareKVBindingDriver({ binding: 'SESSIONS' }) }) })
 * ```
 */
export function unstorageStore(options: UnstorageStoreOptions): UnstorageStore {
  const { storage } = options
  const prefix = options.prefix ?? 'sess:'
  const minTtl = options.minTtl ?? 60
  const clock = options.clock ?? { now: () => Date.now() }
  const key = (id: string): string => prefix + id
  const base = prefix.replace(/:+$/, '')
  const keys = async (): Promise<string[]> => (await storage.getKeys(base)).filter((k) => k.startsWith(prefix))

  return {
    async get(id) {
      return open(await storage.getItemRaw(key(id)), clock.now())
    },
    async set(id, session, ttlSeconds) {
      const envelope: Envelope = { r: session, x: Math.min(session.expiresAt, clock.now() + ttlSeconds * 1000) }
      await storage.setItemRaw(key(id), JSON.stringify(envelope), { ttl: Math.max(minTtl, Math.ceil(ttlSeconds)) })
    },
    async destroy(id) {
      await storage.removeItem(key(id))
    },
    async clear() {
      await Promise.all((await keys()).map((k) => storage.removeItem(k)))
    },
    async count() {
      const now = clock.now()
      const values = await Promise.all((await keys()).map((k) => storage.getItemRaw(k)))
      return values.filter((raw) => readable(raw, now)).length
    },
  } satisfies UnstorageStore
}
