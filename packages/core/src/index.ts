/** @module @sess/core — framework-agnostic server-side sessions on Web Crypto. */

// Manager and session
export { createSessionLoader, createSessionManager } from './manager.js'
export type { LoadInput, SessionLoader, SessionManager } from './manager.js'
export type { CommitResult, SessionHandle } from './handle.js'
export type { UserSessions } from './admin.js'
export { userSessionCalls } from './user-session-calls.js'
export type { AdapterDestroyUserSessionsOptions, UserSessionCalls } from './user-session-calls.js'
export type { DestroyUserSessionsOptions, UserDevice } from './session/devices.js'
export type { LifetimeView } from './lifetime-view.js'
export type { CookieOverrides } from './request-inputs.js'
export { propertiesView } from './properties-view.js'
export type { LateWrite, PropertiesViewOptions } from './properties-view.js'
export type { RegenerateOptions, Session, SessionData } from './session/session.js'
export { MAX_LIFETIME_SECONDS, MAX_SET_COOKIE_BYTES } from './limits.js'
export type { CommitPlan, CookieAction, CookieLifetime, StoreAction } from './session/plan.js'
export { sealedCookie } from './sealed-cookie.js'
export type { SealedCookieStore } from './sealed-cookie.js'

// Diagnostics
export { explainEvents } from './diagnostics.js'
export type { CookieProblem } from './diagnostics.js'

// Options
export { DEFAULT_COOKIE_NAME } from './cookie/cookie-options.js'
export { DEFAULT_IDLE_TIMEOUT_SECONDS, MIN_SECRET_LENGTH, resolveOptions } from './options.js'
export { assertKnownOptions, closestName, SESSION_OPTION_NAMES } from './option-checks.js'
export type { DeviceOptions, ResolvedOptions, SessionEvent, SessionManagerOptions } from './options.js'
export type { ResolvedCookieOptions, SessionCookieOptions } from './cookie/cookie-options.js'

// Store contract
export type {
  AsyncStore,
  Awaitable,
  PatchResult,
  SessionPatch,
  SessionRecord,
  Store,
  StoredSession,
  UserSession,
} from './store.js'

// Store kit: what a store author needs
export { applyPatch } from './store-kit/patch.js'
export { invalidRecord, recordProblem } from './store-kit/record.js'
export { computeExpiresAt, touchedExpiresAt, ttlSeconds } from './store-kit/expiry.js'
export type { TouchOptions, TouchPolicy } from './store-kit/expiry.js'
export { hashSessionId } from './store-kit/hash.js'
export { setOwn } from './store-kit/safe-key.js'
export {
  BROWSER_SESSION_MAX_AGE,
  decodeSessionRow,
  encodeMaxAge,
  listSessionRows,
  SQL_SESSION_COLUMNS,
} from './store-kit/sql-row.js'
export type { SessionRow, SessionRowDecoding } from './store-kit/sql-row.js'
export { sqlPatchStatement } from './store-kit/sql-patch.js'
export type { SQLPatchDialect } from './store-kit/sql-patch.js'
export { sqlUpsertStatement } from './store-kit/sql-upsert.js'
export type { SessionRowEncoding, SQLUpsertDialect } from './store-kit/sql-upsert.js'
export type { SQLSessionStore, SQLUserSession } from './store-kit/sql-store.js'
export { resolveCommonStoreOptions } from './store-kit/store-options.js'
export type { CommonStoreOptions, ResolvedCommonStoreOptions } from './store-kit/store-options.js'
export { createWriteQueue } from './store-kit/write-queue.js'
export { withRereadPatch } from './store-kit/reread-patch.js'
export type { ReadWriteBackend } from './store-kit/reread-patch.js'

// Errors
export { isSessionError, SessionConfigError, SessionError, SessionStateError, SessionStoreError } from './errors.js'
export type {
  SessionConfigErrorCode,
  SessionErrorCode,
  SessionStateErrorCode,
  SessionStoreErrorCode,
} from './errors.js'

// Building blocks for adapters and stores
export { toCallback } from './callback.js'
export { getCookieValues } from './cookie/parse.js'
export { serializeCookie } from './cookie/serialize.js'
export type { CookieAttributes } from './cookie/serialize.js'
export { CookieSigner } from './crypto/sign.js'
export { isSealedCookie } from './codec/carried-codec.js'
export type { SyncHMAC, VerifiedCookie } from './crypto/sign.js'
export { generateSessionId } from './crypto/random.js'
export { constantTimeEqual } from './crypto/constant-time.js'
export type { Clock } from './clock.js'
export type { InferSchemaOutput, StandardSchemaV1, StandardSchemaV1Issue, StandardSchemaV1Result } from './schema.js'
