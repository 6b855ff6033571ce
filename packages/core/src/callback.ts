/**
 * Settles an error-first callback from a promise, for adapters whose peers' APIs take callbacks (express-session's
 * and @fastify/session's stores): `done(null, value)` or `done(error)`, each in a microtask of its own, outside the
 * promise chain, so an exception thrown by the callback stays uncaught (as the peers' callbacks' do) instead of
 * becoming a rejection nobody handles. Without `done`, the outcome is dropped (a rejection included).
 */
export function toCallback<T>(
  promise: Promise<T>,
  done: ((error: unknown, value?: NoInfer<T>) => void) | undefined,
): void {
  promise.then(
    (value) => done && queueMicrotask(() => done(null, value)),
    (error: unknown) => done && queueMicrotask(() => done(error)),
  )
}
