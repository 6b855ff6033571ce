import { isSessionError, SessionStoreError } from '../errors.js'

/**
 * Runs one store operation, bounded by `timeoutSeconds` (0 = unbounded), and wraps any failure in a
 * {@link SessionStoreError} whose `cause` is the client's error. The timer is cleared as soon as the call settles,
 * so nothing keeps an event loop alive. Messages never contain the session id.
 */
export async function callStore<T>(operation: string, timeoutSeconds: number, run: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const call = Promise.resolve().then(run)
    if (timeoutSeconds <= 0) return await call
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new SessionStoreError(
            'STORE_TIMEOUT',
            operation,
            `[sess] The session store's ${operation} did not answer within ${timeoutSeconds}s; check that the store is reachable, or raise storeTimeout.`,
          ),
        )
      }, timeoutSeconds * 1000)
    })
    // A late rejection of the abandoned call must not become an unhandled rejection.
    call.catch(() => {})
    return await Promise.race([call, timeout])
  } catch (error) {
    if (isSessionError(error)) throw error
    throw new SessionStoreError(
      'STORE_FAILURE',
      operation,
      `[sess] The session store's ${operation} failed; see the cause, and check that the store is reachable.`,
      { cause: error },
    )
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}
