/** Source of the current time in epoch milliseconds; tests pass a fake one. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
