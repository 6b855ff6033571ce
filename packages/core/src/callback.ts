import type { Awaitable } from './store.js'

/**
 * Settles an error-first callback from an operation, for adapters whose peers' APIs take callbacks (express-session's
 * and @fastify/session's stores): runs `run` and calls `done(null, value)` or `done(error)` (a synchronous throw
 * included), each in a microtask of its own, outside any promise chain, so an exception thrown by the callback stays
 * uncaught (as the peers' callbacks' do) instead of becoming a rejection nobody handles. `run` may answer directly or
 * with a Promise (a store's methods may do either). Without `done`, the outcome is dropped (a failure included).
 */
export function toCallback<T>(
  run: () => Awaitable<T>,
  done: ((error: unknown, value?: NoInfer<T>) => void) | undefined,
): void {
  let answer: Awaitable<T>
  try {
    answer = run()
  } catch (error) {
    if (done) queueMicrotask(() => done(error))
    return
  }
  Promise.resolve(answer).then(
    (value) => done && queueMicrotask(() => done(null, value)),
    (error: unknown) => done && queueMicrotask(() => done(error)),
  )
}
