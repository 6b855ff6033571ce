import type { Store, StoredSession } from '@sess/core'
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
  /** Time source for the expiry check on reads (drivers without native TTL keep records). @default Date.now */
  clock?: { now(): number } | undefined
}

/** The store {@link unstorageStore} returns: the required methods plus `clear` and `count`. */
export interface UnstorageStore extends Store {
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

function open(raw: unknown, now: number): StoredSession | null {
  const json = text(raw)
  if (json === undefined) return null
  try {
    const envelope = JSON.parse(json) as Partial<Envelope> | null
    if (typeof envelope?.x !== 'number' || envelope.x <= now || typeof envelope.r !== 'object') return null
    return envelope.r ?? null
  } catch {
    // A foreign or corrupt value is no session; the core then starts a fresh one.
    return null
  }
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
      return values.filter((raw) => open(raw, now) !== null).length
    },
  } satisfies UnstorageStore
}
