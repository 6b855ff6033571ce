const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * The one meaning of a hashed session id: the lowercase hex SHA-256 of the id's UTF-8 bytes (64 characters), via Web
 * Crypto. A store that keeps records under hashed ids lists them (`listByUser`) by this value, and accepts it back
 * in `destroy` to revoke that one session, so the raw id never leaves the store.
 */
export async function hashSessionId(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)))
  let hex = ''
  for (const byte of digest) hex += HEX[byte]
  return hex
}
