// The edge build's store-call deadlines (tsdown.config.ts swaps this module in for store-deadline.ts): a timer per
// call, as Workers and browsers need (their timers cannot be unreferenced, so they cannot be shared). The default
// build falls back to these where it finds such timers (Deno).

/** A store call's deadline: its own timer, until the call settles or the deadline passes. */
export interface Waiter {
  timer: ReturnType<typeof setTimeout> | undefined
}

/** Calls `expire` in `ms` unless the waiter settles first. */
export function wait(ms: number, expire: () => void): Waiter {
  const waiter: Waiter = { timer: undefined }
  waiter.timer = setTimeout(() => settle(waiter) && expire(), ms)
  return waiter
}

/** Releases the waiter and its timer; false if it had already settled or expired. */
export function settle(waiter: Waiter): boolean {
  if (waiter.timer === undefined) return false
  clearTimeout(waiter.timer)
  waiter.timer = undefined
  return true
}
