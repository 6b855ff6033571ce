/**
 * The longest lifetime a session may have, in seconds: 400 days, the cap browsers apply to a cookie's Max-Age and
 * Expires (RFC 6265bis), and well inside what every store's TTL and a `Date` can represent.
 */
export const MAX_LIFETIME_SECONDS: number = 400 * 86_400

/** Longer cookie values are rejected before any HMAC or decryption. */
export const MAX_COOKIE_VALUE_LENGTH = 4096

/** RFC 6265 §6.1 asks browsers to keep at least 4096 bytes per cookie (name, value and attributes). */
export const MAX_SET_COOKIE_BYTES = 4096
