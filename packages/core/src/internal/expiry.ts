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
