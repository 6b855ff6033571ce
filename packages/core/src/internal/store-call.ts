import { isSessionError, SessionStoreError } from '../errors.js'
import { settle, wait } from './store-deadline.js'

/**
 * Runs one store operation, bounded by `timeoutSeconds` (0 = unbounded), and wraps any failure in a
 * {@link SessionStoreError} whose `cause` is a scrubbed copy of the client's error (name, message, code, stack
 * frames; no command arguments). Messages never contain the session id or data.
 *
 * A store that answers synchronously (an in-process store: its method returned a value, not a Promise) gets its
 * value back as it is, with no timer and no tick: there is nothing to wait for. Failures are always a rejection.
 *
 * The bound's timers are store-deadline.ts's: one shared timer where timers can be unreferenced (Node, Bun), a timer
 * per call elsewhere, and always a timer per call in the edge build (store-deadline.edge.ts).
 */
export function callStore<T>(operation: string, timeoutSeconds: number, run: () => T | Promise<T>): T | Promise<T> {
  let answer: T | Promise<T>
  try {
    answer = run()
  } catch (error) {
    return Promise.reject(wrap(operation, error))
  }
  if (!isThenable(answer)) return answer
  const call = Promise.resolve(answer)
  if (!(timeoutSeconds > 0)) return call.then(undefined, (error: unknown) => Promise.reject(wrap(operation, error)))
  return new Promise<T>((resolve, reject) => {
    const waiter = wait(timeoutSeconds * 1000, () =>
      reject(
        new SessionStoreError(
          'STORE_TIMEOUT',
          operation,
          `[sess] The store's ${operation} took over ${timeoutSeconds}s: check the store is reachable, or raise storeTimeout.`,
        ),
      ),
    )
    // A late settlement of an abandoned call is ignored (and never becomes an unhandled rejection).
    call.then(
      (value) => {
        if (settle(waiter)) resolve(value)
      },
      (error: unknown) => {
        if (settle(waiter)) reject(wrap(operation, error))
      },
    )
  })
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return (
    value instanceof Promise ||
    (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')
  )
}

// Where the client's own error stays reachable, not enumerable so that logging never prints it: the Express adapter
// hands it on unchanged to apps written for express-session, whose callback stores' errors they match on.
const ORIGINAL = Symbol.for('@sess/core/original-cause')

function wrap(operation: string, error: unknown): unknown {
  if (isSessionError(error)) return error
  const wrapped = new SessionStoreError(
    'STORE_FAILURE',
    operation,
    `[sess] The store's ${operation} failed (see cause): check the store is reachable.`,
    { cause: scrub(error, 0) },
  )
  Object.defineProperty(wrapped, ORIGINAL, { value: error })
  return wrapped
}

// Quoted text in a client's message: where servers echo keys and values (Redis "with args beginning with: 'k'",
// MongoDB "dup key: { _id: "id" }").
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g
const MAX_CAUSES = 4

/**
 * A copy of a client's error that keeps what makes it useful (name, message, code, stack frames, the chain of
 * causes) and nothing that may hold session ids or data: ioredis keeps the command and its arguments on the error,
 * MongoDB the duplicate key's value, and `console.error(err)` would print them all. Quoted text in the message is
 * masked for the same reason.
 */
function scrub(error: unknown, depth: number): unknown {
  if (typeof error === 'string') return error.replace(QUOTED, (q) => `${q[0]}…${q[0]}`)
  if (typeof error !== 'object' || error === null) return error
  const source = error as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown }
  const message = scrub(typeof source.message === 'string' ? source.message : '', depth) as string
  const cause = source.cause !== undefined && depth < MAX_CAUSES ? { cause: scrub(source.cause, depth + 1) } : undefined
  const copy = new Error(message, cause)
  // Not enumerable, as on the client's own error class, so inspecting the copy shows what the original showed.
  const name = typeof source.name === 'string' ? source.name : 'Error'
  Object.defineProperty(copy, 'name', { value: name, writable: true, configurable: true })
  const code = source.code
  if (typeof code === 'string' || typeof code === 'number') (copy as { code?: unknown }).code = code
  const frames = typeof source.stack === 'string' ? source.stack.split('\n').filter((l) => /^\s+at /.test(l)) : []
  copy.stack = [`${name}: ${message}`, ...frames].join('\n')
  return copy
}
