import { encodeBase64Url } from './encoding.js'

/** Bytes of entropy in a generated session id (192 bits, as express-session's uid-safe(24)). */
export const SESSION_ID_BYTES = 24

/** Ids drawn per `getRandomValues` call: one call costs about as much as encoding a hundred ids. */
const IDS_PER_REFILL = 128
let pool: Uint8Array | undefined
let offset = 0

/**
 * A URL-safe random session id from `crypto.getRandomValues`: 32 characters, 192 bits. Random bytes are fetched
 * in batches (one system call per 128 ids) and each byte is used once and then zeroed, so the pool never holds
 * the bytes of an id already issued.
 */
export function generateSessionId(): string {
  if (pool === undefined || offset === pool.length) {
    // Allocated on first use, never at import: Workers forbid random values outside a request.
    pool ??= new Uint8Array(SESSION_ID_BYTES * IDS_PER_REFILL)
    crypto.getRandomValues(pool)
    offset = 0
  }
  const end = offset + SESSION_ID_BYTES
  const id = encodeBase64Url(pool.subarray(offset, end))
  pool.fill(0, offset, end)
  offset = end
  return id
}
