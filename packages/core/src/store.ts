/**
 * The record a store keeps for one session. Plain JSON-safe data: stores may serialize it however they like,
 * but must give back the same values.
 */
export interface SessionRecord {
  /** The application's session data (JSON-safe). */
  data: Record<string, unknown>
  /** When the session was created, epoch milliseconds; the absolute timeout counts from here. */
  createdAt: number
  /** When the session expires, epoch milliseconds. Stores must not return a record past this instant. */
  expiresAt: number
  /** Incremented on every write; strict mode compares it (compare-and-set). */
  version: number
  /** The user this session is bound to, for per-user listing and revocation. */
  userId?: string | undefined
  /** Per-session cookie lifetime in seconds ("remember me"); `null` for a browser-session cookie. */
  maxAge?: number | null | undefined
  /** The `User-Agent` of the request that created the session; only with the opt-in `device.userAgent` option. */
  userAgent?: string | undefined
  /** The client IP of the request that created the session; only with the opt-in `device.ip` option. */
  ip?: string | undefined
}

/** @deprecated Renamed {@link SessionRecord} ("record" is the stored thing, "session" the live object). */
export type StoredSession = SessionRecord

/** A field-level change set: only the top-level keys that changed, so concurrent requests merge. */
export interface SessionPatch {
  /** Top-level keys to set, with their new values. */
  set: Record<string, unknown>
  /** Top-level keys to remove. */
  unset: string[]
  /** The new expiry, epoch milliseconds. */
  expiresAt: number
  /** Strict mode: apply only if the stored version is this one, otherwise answer `'conflict'`. Stores increment the version on every patch. */
  expectedVersion?: number | undefined
  /** Present when the user binding changed; `null` unbinds. */
  userId?: string | null | undefined
  /** Present when the per-session lifetime changed. */
  maxAge?: number | null | undefined
}

/**
 * What a patch did: `'ok'` applied; `'missing'` no record (destroyed or expired meanwhile: a patch never
 * resurrects a session); `'conflict'` the version did not match in strict mode.
 */
export type PatchResult = 'ok' | 'missing' | 'conflict'

/** A session listed for its user, e.g. to show "your devices" and revoke one. */
export interface UserSession {
  /** The id to pass back to `destroy` (the raw id, or `'#' + sha256hex` in a store that hashes ids). */
  id: string
  session: SessionRecord
  /**
   * The last write or expiry refresh, epoch milliseconds, for a store that keeps it (the SQL stores' `last_seen_at`).
   * Otherwise the core derives it from the expiry, which the throttled touch moves (accurate to `touchAfter`).
   */
  lastSeenAt?: number | undefined
}

import type { TouchPolicy } from './store-kit/expiry.js'

/**
 * A method's result: the value itself, or a Promise of it. A store whose data lives in the process answers
 * synchronously; one that talks to a server returns a Promise.
 */
export type Awaitable<T> = T | Promise<T>

/**
 * The store contract, as a store that talks to a server implements it: every method returns a Promise. `get`,
 * `set` and `destroy` are required; the rest are capabilities, detected by presence. TTLs are whole seconds,
 * computed by the core from the same instant as the cookie's expiry. What the core accepts is {@link Store}: the
 * same methods, which may also answer synchronously.
 */
export interface AsyncStore {
  /** The record, or `null` when there is none (or it has expired). */
  get(id: string): Promise<SessionRecord | null>
  /** Creates or replaces the record, expiring after `ttlSeconds`. */
  set(id: string, record: SessionRecord, ttlSeconds: number): Promise<void>
  /** Removes the record; removing a missing record is not an error. */
  destroy(id: string): Promise<void>
  /**
   * Reads the record and, in the same round trip, refreshes its expiry when `touchedExpiresAt` (from @sess/core) says it is due
   * under `policy`, so a read-only request costs one round trip. `touched` says whether it did; the returned record
   * carries the new `expiresAt`. When present, the core uses it instead of `get` for loading.
   */
  getAndTouch?(id: string, policy: TouchPolicy): Promise<{ session: SessionRecord; touched: boolean } | null>
  /**
   * Extends the expiry of an existing record without rewriting its data; a missing record stays missing. The stored
   * `expiresAt` must change too (not only a server-side TTL): the core never serves a record past its `expiresAt`.
   */
  touch?(id: string, expiresAt: number, ttlSeconds: number): Promise<void>
  /** Applies a field-level change set atomically. */
  patch?(id: string, patch: SessionPatch, ttlSeconds: number): Promise<PatchResult>
  /** The live sessions bound to `userId`. */
  listByUser?(userId: string): Promise<UserSession[]>
  /** Destroys every session bound to `userId`, except the one named by `except`; resolves to how many. */
  destroyByUser?(userId: string, options?: { except?: string | undefined }): Promise<number>
  /** Removes every session of this store (its prefix or collection only). */
  clear?(): Promise<void>
  /** How many live sessions the store holds. */
  count?(): Promise<number>
}

/**
 * What the core accepts as a store: {@link AsyncStore}'s methods, each of which may return its result directly
 * instead of a Promise. A store whose data lives in the process (`@sess/store-memory`) does, and the core then goes
 * on without a tick and without arming `storeTimeout` (nothing can hang). Code that calls a store itself should
 * `await` each result, which works for both.
 */
export type Store = {
  [K in keyof AsyncStore]: AnswerDirectly<NonNullable<AsyncStore[K]>>
}

/** A method of {@link AsyncStore} that may also return its result directly. */
type AnswerDirectly<M> = M extends (...args: infer A) => Promise<infer R> ? (...args: A) => Awaitable<R> : never
