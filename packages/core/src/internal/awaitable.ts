/**
 * `next(value)` at once when the value is at hand, or once its Promise settles (a rejection passes through). The
 * steps of a load and a commit chain through it, so a request whose every step is synchronous (a cached
 * verification, an in-process store) allocates no Promise.
 */
export function andThen<T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value)
}
