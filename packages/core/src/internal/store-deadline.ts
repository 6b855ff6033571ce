import type { Waiter as OwnWaiter } from './store-deadline.edge.js'
import { settle as settleOwn, wait as waitOwn } from './store-deadline.edge.js'

// Store-call deadlines in the default build. Where timers can be unreferenced (Node, Bun), calls in flight share one
// timer set for the earliest deadline: no timer per call. That timer never holds the event loop open by itself
// (toggling it per call costs a native call each time); a call in flight keeps the process alive through its own I/O,
// as a store's socket does. Elsewhere (Deno; Workers and browsers when they load this build) each call arms and clears
// its own timer (store-deadline.edge.ts, which the edge build uses alone).

interface SharedWaiter {
  readonly deadline: number
  readonly expire: () => void
}

/** A store call's deadline, until the call settles or the deadline passes. */
export type Waiter = SharedWaiter | OwnWaiter

type SharedTimer = ReturnType<typeof setTimeout> & { unref(): unknown }

/** Calls in flight on the shared timer: a waiter leaves when its call settles or its deadline passes. */
const waiting = new Set<SharedWaiter>()
let shared: SharedTimer | undefined
let sharedAt = 0
// The setTimeout the shared timer was armed with: fake timers installed later (tests) get a timer of their own.
let armedWith: typeof setTimeout | undefined
let clearWith: typeof clearTimeout = clearTimeout
let canShare = true

/** Calls `expire` in `ms` unless the waiter settles first. */
export function wait(ms: number, expire: () => void): Waiter {
  const deadline = Date.now() + ms
  if (canShare && (shared === undefined || deadline < sharedAt || armedWith !== setTimeout)) arm(deadline)
  // arm() found timers that cannot be unreferenced: a timer per call from then on.
  if (!canShare) return waitOwn(ms, expire)
  const waiter: SharedWaiter = { deadline, expire }
  waiting.add(waiter)
  return waiter
}

/** Releases the waiter (and its own timer, if it has one); false if it had already settled or expired. */
export function settle(waiter: Waiter): boolean {
  return 'deadline' in waiter ? waiting.delete(waiter) : settleOwn(waiter)
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
