/** Codes carried by every {@link SessionError}; tests and apps branch on these, never on messages. */
export type SessionErrorCode = SessionConfigErrorCode | SessionStoreErrorCode | SessionStateErrorCode

/** Codes of {@link SessionConfigError}. */
export type SessionConfigErrorCode = 'SECRET_MISSING' | 'SECRET_TOO_SHORT' | 'OPTION_INVALID'
/** Codes of {@link SessionStoreError}. */
export type SessionStoreErrorCode = 'STORE_FAILURE' | 'STORE_TIMEOUT'
/** Codes of {@link SessionStateError}. */
export type SessionStateErrorCode =
  | 'ALREADY_COMMITTED'
  | 'HEADERS_SENT'
  | 'SESSION_CONFLICT'
  | 'SESSION_INVALID'
  | 'SESSION_MISSING'
  | 'DATA_NOT_SERIALIZABLE'
  | 'CAPABILITY_MISSING'
  | 'COOKIE_TOO_LARGE'
  | 'ARGUMENT_INVALID'
  | 'USER_MISSING'

// A brand instead of instanceof: an app that ends up with two copies of @sess/core (ESM and CJS)
// must still recognise errors thrown by either copy.
const BRAND = Symbol.for('@sess/core/SessionError')

/** Base class of every error thrown by sess. */
export class SessionError extends Error {
  /** A stable machine-readable code. */
  readonly code: SessionErrorCode

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SessionError'
    this.code = code
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** Thrown synchronously at setup when options are missing or invalid. */
export class SessionConfigError extends SessionError {
  declare readonly code: SessionConfigErrorCode
  constructor(code: SessionConfigErrorCode, message: string) {
    super(code, message)
    this.name = 'SessionConfigError'
  }
}

/** A store call failed or did not answer in time; the client's error is the `cause`. */
export class SessionStoreError extends SessionError {
  declare readonly code: SessionStoreErrorCode
  /** The store operation that failed (`get`, `set`, ...). */
  readonly operation: string
  constructor(code: SessionStoreErrorCode, operation: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'SessionStoreError'
    this.operation = operation
  }
}

/** The session was used in a way its state does not allow (e.g. written after commit). */
export class SessionStateError extends SessionError {
  declare readonly code: SessionStateErrorCode
  constructor(code: SessionStateErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'SessionStateError'
  }
}

/** True for any error thrown by any copy of `@sess/core`. */
export function isSessionError(value: unknown): value is SessionError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
}

/** An `OPTION_INVALID` configuration error; `message` says what to fix. */
export function invalidOption(message: string): SessionConfigError {
  return new SessionConfigError('OPTION_INVALID', `[sess] ${message}`)
}
