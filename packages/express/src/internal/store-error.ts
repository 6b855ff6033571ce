import { isSessionError } from '@sess/core'

// Marks a store's own error handed on in place of a SessionStoreError (a non-enumerable symbol: nothing changes for
// code that logs, serialises or compares it).
const STORE_ERROR = Symbol.for('@sess/express/store-error')
// Set by @sess/core's store call on a STORE_FAILURE: the client's error before scrubbing.
const ORIGINAL_CAUSE = Symbol.for('@sess/core/original-cause')

/**
 * The error `next(err)` and callbacks get for a failed store call. express-session hands a callback store's own
 * error on unchanged (apps and stores match on its message and code), so sess does too for those stores, marked so
 * that {@link isStoreError} still recognises it; sess stores give a `SessionStoreError`.
 */
export function storeErrorFor(legacy: boolean, error: unknown): unknown {
  if (!legacy || !isSessionError(error) || error.code !== 'STORE_FAILURE') return error
  // The core's cause is a scrubbed copy (no command arguments); express-session hands on the store's own error.
  const cause = (error as unknown as Record<symbol, unknown>)[ORIGINAL_CAUSE] ?? error.cause
  if (typeof cause !== 'object' || cause === null) return error
  try {
    Object.defineProperty(cause, STORE_ERROR, { value: true, configurable: true })
  } catch {
    return error
  }
  return cause
}

/**
 * True for an error of the session store reaching `next(err)`: a `SessionStoreError` (`STORE_FAILURE`,
 * `STORE_TIMEOUT`) or an express-session store's own error. Answer 503: the store is unreachable for now.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => (isStoreError(err) ? res.status(503).send('Try again shortly') : next(err)))
 * ```
 */
export function isStoreError(error: unknown): boolean {
  if (isSessionError(error)) return error.code === 'STORE_FAILURE' || error.code === 'STORE_TIMEOUT'
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[STORE_ERROR] === true
}
