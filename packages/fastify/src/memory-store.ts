import { EventEmitter } from 'node:events'
import type { Store as CoreStore } from '@sess/core'
import { toCallback } from '@sess/core'
import type { MemoryStoreOptions } from '@sess/store-memory'
import { memoryStore } from '@sess/store-memory'
import type { Callback } from './callback-store.js'
import type { PeerRecord, RecordShape } from './peer-record.js'
import { fromPeerRecord, toPeerRecord } from './peer-record.js'

const natives = new WeakMap<object, ReturnType<typeof memoryStore>>()
const DAY_MS = 86_400_000
const SHAPE: RecordShape = { attributes: { path: '/', httpOnly: true }, maxAge: null, idleMs: DAY_MS, now: Date.now }

/** The `@sess/*` store behind a {@link MemoryStore}, which the plugin uses directly (no callbacks per request). */
export function nativeStore(store: unknown): CoreStore | undefined {
  return typeof store === 'object' && store !== null ? natives.get(store) : undefined
}

/**
 * `MemoryStore` (and `Store`, as @fastify/session exports the same class under both names): @fastify/session's
 * callback API over `@sess/store-memory`, which is bounded (LRU), drops expired sessions and never keeps the process
 * alive, where @fastify/session's grows without limit. One process only: use Redis or MongoDB for more.
 */
export class MemoryStore extends EventEmitter {
  constructor(options?: MemoryStoreOptions) {
    super()
    natives.set(this, memoryStore(options))
  }

  get #native(): ReturnType<typeof memoryStore> {
    return natives.get(this) as ReturnType<typeof memoryStore>
  }

  /** The session in @fastify/session's shape (`{ cookie, ...data }`), or undefined. */
  get(sessionId: string, callback: Callback<PeerRecord | undefined>): void {
    toCallback(async () => {
      const r = await this.#native.get(sessionId)
      return r ? toPeerRecord(r, SHAPE) : undefined
    }, callback)
  }

  /** Stores a session given in @fastify/session's shape; it expires with its `cookie.expires` (a day without). */
  set(sessionId: string, session: PeerRecord, callback: Callback): void {
    const record = fromPeerRecord(session, SHAPE)
    if (record === null) {
      toCallback(() => {
        throw new TypeError('[sess] Pass a session object.')
      }, callback)
      return
    }
    const ttl = Math.max(1, Math.ceil((record.expiresAt - Date.now()) / 1000))
    toCallback(() => this.#native.set(sessionId, record, ttl), callback)
  }

  /** Removes a session. */
  destroy(sessionId: string, callback: Callback): void {
    toCallback(() => this.#native.destroy(sessionId), callback)
  }
}
