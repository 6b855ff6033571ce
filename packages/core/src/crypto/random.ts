import { encodeBase64Url } from './encoding.js'

/** Bytes of entropy in a generated session id (192 bits, as express-session's uid-safe(24)). */
export const SESSION_ID_BYTES = 24

/** A URL-safe random session id from `crypto.getRandomValues`: 32 characters, 192 bits. */
export function generateSessionId(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES)))
}
