import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock, Store, StoredSession, TouchPolicy } from '@sess/core'
import { ttlSeconds } from '@sess/core'
import { afterAll, describe } from 'vitest'
import { adminCases } from './internal/store-cases/admin.js'
import { basicCases } from './internal/store-cases/basics.js'
import { clockCases } from './internal/store-cases/clock.js'
import { corruptCases } from './internal/store-cases/corrupt.js'
import { deviceCases } from './internal/store-cases/devices.js'
import { expiryCases } from './internal/store-cases/expiry.js'
import { getAndTouchCases } from './internal/store-cases/get-and-touch.js'
import { hashedIdCases } from './internal/store-cases/hashed-ids.js'
import { patchCases } from './internal/store-cases/patch.js'
import { userCases } from './internal/store-cases/users.js'

/** The optional parts of the store contract. Each defaults to `true`: a store opts out explicitly. */
export interface StoreCapabilities {
  /** `getAndTouch(id, policy)`: the read that refreshes expiry in the same round trip. */
  getAndTouch: boolean
  /** `touch(id, expiresAt, ttl)`. */
  touch: boolean
  /** `patch(id, patch, ttl)`. */
  patch: boolean
  /** `listByUser(userId)` and `destroyByUser(userId, { except })`. */
  users: boolean
  /** `clear()`. */
  clear: boolean
  /** `count()`. */
  count: boolean
  /** The `hashIds` option: records kept under `hashSessionId(id)`, listed as `'#' + hashSessionId(id)`. */
  hashIds: boolean
}

/** Options the suite asks {@link StoreSuiteFactory.create} for; a store must honour each one it is given. */
export interface StoreCreateOptions {
  /** Use this clock (the store's `clock` option) instead of the factory's own. */
  clock?: Clock | undefined
  /** Keep records under hashed ids (the store's `hashIds` option). */
  hashIds?: boolean | undefined
  /** Keep the records' opt-in `userAgent` and `ip` (the SQL stores' `deviceMetadata` option; others always do). */
  deviceMetadata?: boolean | undefined
}

/**
 * Kinds of corrupt record the suite plants through {@link StoreSuiteFactory.corrupt}: `undecodable` (a value the
 * store cannot decode at all, e.g. broken JSON), `wrong-shape` (decodable, but not a record: another type, an array
 * as data, unknown fields), `null-fields` (a record whose createdAt, expiresAt and version are null or empty).
 */
export type CorruptionKind = 'undecodable' | 'wrong-shape' | 'null-fields'

/** Every {@link CorruptionKind}. */
export const CORRUPTION_KINDS: readonly CorruptionKind[] = ['undecodable', 'wrong-shape', 'null-fields']

/** How the suite reads the time and lets it pass. */
export interface SuiteClock {
  /** Current time, epoch milliseconds: the same clock the store uses to expire records. */
  now(): number
  /** Lets `ms` milliseconds pass: a fake clock jumps, real time sleeps. */
  advance(ms: number): void | Promise<void>
}

/** What a store package hands {@link describeStoreConformance}. */
export interface StoreSuiteFactory {
  /**
   * A fresh store, isolated from every other one this factory returns (e.g. a new random key prefix), with the
   * `clock`, `hashIds` and `deviceMetadata` options the suite passes, when it passes them.
   */
  create(options?: StoreCreateOptions): Promise<Store> | Store
  /**
   * Writes a corrupt value under session `id` of `store` (the way another app, a hand edit or a half-written
   * migration would), expiring after `ttlSeconds` where the store has server-side expiry. Omit it for a store that
   * cannot hold a value it did not write itself (memory); the corrupt-record tests are then skipped, saying why.
   */
  corrupt?(store: Store, id: string, kind: CorruptionKind, ttlSeconds: number): Promise<void> | void
  /** Called when the suite has finished, for every store it created (e.g. to delete its keys, or stop a timer). */
  cleanup?(store: Store): Promise<void> | void
  /** Capabilities the store lacks, as `false`; tests that need them are skipped, with the reason in their title. */
  capabilities?: Partial<StoreCapabilities> | undefined
  /**
   * The store's clock. Pass the fake clock given to an in-memory store; omit it for a server with its own
   * expiry (Redis), and the suite waits in real time, with TTLs of 1–3 seconds. @default realTimeClock()
   */
  clock?: SuiteClock | undefined
  /** Margin in ms past an expiry before asserting that a record is gone (server expiry is not instantaneous). @default 300 */
  slackMs?: number | undefined
  /** Per-test timeout in ms; waits in real time need a few seconds. @default 15000 */
  timeout?: number | undefined
  /**
   * Run the tests concurrently, so real-time waits overlap (a Redis run takes about 4 s instead of 14 s). Only
   * safe when time passes for real: a fake clock advanced by one test would move every other test's time.
   * @default true without a `clock`, false with one
   */
  concurrent?: boolean | undefined
  /** Store-specific tests (Redis `TTL key > 0`, a Mongo TTL index), run inside the suite's `describe` (concurrently when it is). */
  additionalTests?(ctx: StoreSuiteContext): void
}

/** Helpers shared by the suite's tests and a store's {@link StoreSuiteFactory.additionalTests}. */
export interface StoreSuiteContext {
  /** Creates a store through the factory; it is cleaned up when the suite has finished. */
  open(options?: StoreCreateOptions): Promise<Store>
  /** The factory's {@link StoreSuiteFactory.corrupt}, if it has one. */
  readonly corrupt: StoreSuiteFactory['corrupt']
  /** The store's clock. */
  readonly clock: SuiteClock
  /** Capabilities after defaults. */
  readonly capabilities: StoreCapabilities
  /** Margin in ms past an expiry before asserting that a record is gone. */
  readonly slackMs: number
  /** A random session id, unique per call. */
  id(): string
  /** A valid record created now, expiring in an hour unless `overrides` say otherwise. */
  record(data?: Record<string, unknown>, overrides?: Partial<StoredSession>): StoredSession
  /** `store.set` with the TTL core would compute from `record.expiresAt`, unless `ttl` (seconds) is given. */
  put(store: Store, id: string, record: StoredSession, ttl?: number): Promise<void>
  /** A `getAndTouch` policy at the clock's now: an hour's idle timeout, no absolute one, touchAfter 0, or `fields`. */
  policy(fields?: Partial<TouchPolicy>): TouchPolicy
}

/** The wall clock, for stores whose server expires records itself. */
export function realTimeClock(): SuiteClock {
  return { now: () => Date.now(), advance: (ms) => sleep(ms) }
}

/**
 * Registers the shared store conformance suite: every store must pass it, run against the real server.
 *
 * @example
 * ```ts
 * const clock = fakeClock()
 * describeStoreConformance('memory', { create: () => memoryStore({ clock }), clock })
 * ```
 */
export function describeStoreConformance(name: string, factory: StoreSuiteFactory): void {
  const capabilities: StoreCapabilities = {
    getAndTouch: true,
    touch: true,
    patch: true,
    users: true,
    clear: true,
    count: true,
    hashIds: true,
    ...factory.capabilities,
  }
  const clock = factory.clock ?? realTimeClock()
  const opened: Store[] = []
  const ctx: StoreSuiteContext = {
    clock,
    capabilities,
    slackMs: factory.slackMs ?? 300,
    corrupt: factory.corrupt?.bind(factory),
    async open(options) {
      const store = await factory.create(options)
      opened.push(store)
      return store
    },
    id: () => `sess-test-${randomUUID()}`,
    record(data = { views: 1 }, overrides = {}) {
      const now = clock.now()
      return { data, createdAt: now, expiresAt: now + 3600_000, version: 1, ...overrides }
    },
    async put(store, id, record, ttl) {
      await store.set(id, record, ttl ?? ttlSeconds(record.expiresAt, clock.now()))
    },
    policy: (fields = {}) => ({ now: clock.now(), idleTimeout: 3600, absoluteTimeout: null, touchAfter: 0, ...fields }),
  }

  const options = { timeout: factory.timeout ?? 15_000, concurrent: factory.concurrent ?? factory.clock === undefined }
  describe(`store conformance: ${name}`, options, () => {
    // After all, not after each: tests may run concurrently, and each one only ever touches its own stores.
    afterAll(async () => {
      const stores = opened.splice(0)
      if (factory.cleanup) for (const store of stores) await factory.cleanup(store)
    })
    basicCases(ctx)
    expiryCases(ctx)
    getAndTouchCases(ctx)
    patchCases(ctx)
    userCases(ctx)
    adminCases(ctx)
    corruptCases(ctx)
    clockCases(ctx)
    hashedIdCases(ctx)
    deviceCases(ctx)
    if (factory.additionalTests) describe(`${name}: store-specific`, () => factory.additionalTests!(ctx))
  })
}
