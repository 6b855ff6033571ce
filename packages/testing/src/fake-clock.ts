/** A clock that only moves when told to; pass it to a store or manager instead of replacing the global `Date`. */
export interface FakeClock {
  /** The current fake time, epoch milliseconds. */
  now(): number
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void
}

/**
 * Creates a {@link FakeClock} starting at `startMs`.
 *
 * @param startMs - Initial time, epoch milliseconds. @default Date.UTC(2026, 0, 1)
 */
export function fakeClock(startMs: number = Date.UTC(2026, 0, 1)): FakeClock {
  let now = startMs
  return {
    now: () => now,
    advance(ms) {
      if (!(Number.isFinite(ms) && ms >= 0))
        throw new RangeError('[sess/testing] advance() takes a non-negative number of ms.')
      now += ms
    },
  }
}
