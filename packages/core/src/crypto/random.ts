/** Bytes of entropy in a generated session id (192 bits, as express-session's uid-safe(24)). */
export const SESSION_ID_BYTES = 24

const URL_CODES = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (ch) =>
  ch.charCodeAt(0),
)
const codes: number[] = new Array<number>((SESSION_ID_BYTES / 3) * 4).fill(0)
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
  const bytes = pool
  const end = offset + SESSION_ID_BYTES
  let c = 0
  for (let i = offset; i < end; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    codes[c++] = URL_CODES[n >>> 18]!
    codes[c++] = URL_CODES[(n >>> 12) & 63]!
    codes[c++] = URL_CODES[(n >>> 6) & 63]!
    codes[c++] = URL_CODES[n & 63]!
  }
  // One flat string: built by `+=`, an id would be a rope of pieces, costing ~200 bytes more as a Map key.
  const out = String.fromCharCode.apply(null, codes)
  codes.fill(0)
  bytes.fill(0, offset, end)
  offset = end
  return out
}
