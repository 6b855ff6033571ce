import { isSessionError, SessionStoreError } from '../errors.js'

/**
 * Runs one store operation, bounded by `timeoutSeconds` (0 = unbounded), and wraps any failure in a
 * {@link SessionStoreError} whose `cause` is a scrubbed copy of the client's error (name, message, code, stack
 * frames; no command arguments). Messages never contain the session id or data.
 *
 * A store that answers synchronously (an in-process store: its method returned a value, not a Promise) gets its
 * value back as it is, with no timer and no tick: there is nothing to wait for. Failures are always a rejection.
 *
 * The bound costs no timer per call where timers can be unreferenced (Node, Bun): calls in flight share one timer
 * set for the earliest deadline. That timer never holds the event loop open by itself (toggling it per call costs a
 * native call each time); a call in flight keeps the process alive through its own I/O, as a store's socket does.
 * Elsewhere (Workers, Deno) each call arms and clears its own timer.
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

interface Waiter {
  readonly deadline: number
  readonly expire: () => void
  /** Its own timer, where timers cannot be shared. */
  timer?: ReturnType<typeof setTimeout> | undefined
}

type SharedTimer = ReturnType<typeof setTimeout> & { unref(): unknown }

/** Calls in flight: a waiter leaves when its call settles or its deadline passes, whichever comes first. */
const waiting = new Set<Waiter>()
let shared: SharedTimer | undefined
let sharedAt = 0
// The setTimeout the shared timer was armed with: fake timers installed later (tests) get a timer of their own.
let armedWith: typeof setTimeout | undefined
let clearWith: typeof clearTimeout = clearTimeout
let canShare = true

function wait(ms: number, expire: () => void): Waiter {
  const waiter: Waiter = { deadline: Date.now() + ms, expire }
  waiting.add(waiter)
  if (canShare && (shared === undefined || waiter.deadline < sharedAt || armedWith !== setTimeout)) arm(waiter.deadline)
  // arm() found timers that cannot be unreferenced (Workers, Deno): a timer per call from then on.
  if (!canShare) waiter.timer = setTimeout(() => settle(waiter) && expire(), ms)
  return waiter
}

/** Releases the waiter and its own timer; false if it had already settled or expired. */
function settle(waiter: Waiter): boolean {
  if (waiter.timer !== undefined) clearTimeout(waiter.timer)
  return waiting.delete(waiter)
}

function arm(at: number): void {
  if (shared !== undefined) clearWith(shared)
  shared = undefined
  const timer = setTimeout(fire, Math.max(1, at - Date.now())) as Partial<SharedTimer>
  if (typeof timer?.unref !== 'function') {
    clearTimeout(timer as ReturnType<typeof setTimeout>)
    canShare = false
    return
  }
  timer.unref()
  shared = timer as SharedTimer
  sharedAt = at
  armedWith = setTimeout
  clearWith = clearTimeout
}

function fire(): void {
  shared = undefined
  const now = Date.now()
  let next = Number.POSITIVE_INFINITY
  for (const waiter of waiting) {
    if (waiter.deadline <= now) {
      waiting.delete(waiter)
      waiter.expire()
    } else if (waiter.deadline < next) next = waiter.deadline
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next)
}
