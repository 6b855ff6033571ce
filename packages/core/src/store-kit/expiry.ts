/**
 * The single expiry computation: the store TTL, the cookie's Max-Age and Expires all derive from the instant
 * returned here, so they always agree.
 */
export function computeExpiresAt(
  nowMs: number,
  createdAtMs: number,
  idleSeconds: number,
  absoluteSeconds: number | null,
): number {
  const idle = nowMs + idleSeconds * 1000
  return absoluteSeconds === null ? idle : Math.min(idle, createdAtMs + absoluteSeconds * 1000)
}

/** Whole seconds from now until `expiresAtMs`, at least 1 (a TTL of 0 would mean "no expiry" to some stores). */
export function ttlSeconds(expiresAtMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((expiresAtMs - nowMs) / 1000))
}

/** The expiry rules a store needs to refresh a session during a read ({@link AsyncStore.getAndTouch}). */
export interface TouchPolicy {
  /** Now, epoch milliseconds. */
  now: number
  /** Idle timeout in seconds for sessions without their own `maxAge`. */
  idleTimeout: number
  /** Absolute timeout in seconds from creation, or null. */
  absoluteTimeout: number | null
  /** Minimum extension in seconds worth a write. */
  touchAfter: number
}

/** Options of {@link touchedExpiresAt}. */
export interface TouchOptions {
  /** Refresh even when the gain is under `touchAfter` (the session asked for it with `touch()`). @default false */
  force?: boolean | undefined
}

/**
 * The new expiry of a stored session if refreshing it now is due under `policy`, otherwise undefined. The one
 * throttling rule: core applies it after a read, and a store applying it inside its read (e.g. a Redis script)
 * must give the same answer.
 */
export function touchedExpiresAt(
  record: { createdAt: number; expiresAt: number; maxAge?: number | null | undefined },
  policy: TouchPolicy,
  options?: TouchOptions,
): number | undefined {
  // An expired session is never brought back, whatever the store still holds.
  if (record.expiresAt <= policy.now) return undefined
  const idle = typeof record.maxAge === 'number' ? record.maxAge : policy.idleTimeout
  const next = computeExpiresAt(policy.now, record.createdAt, idle, policy.absoluteTimeout)
  const gained = next - record.expiresAt
  if (next <= policy.now || gained <= 0) return undefined
  return options?.force === true || gained >= policy.touchAfter * 1000 ? next : undefined
}
