import type { CookieCodec } from './codec.js'

/** Builds the cookie codec for one secret list and cookie name. */
export type CodecFactory = (secrets: readonly string[], cookieName: string) => CookieCodec

// Registered, like the error brand: a store value made by another copy of @sess/core (ESM and CJS) still counts.
const CARRIED_CODEC = Symbol.for('@sess/core/codec')

/**
 * Attaches `factory` to a store value whose records live in the cookie itself (`sealedCookie()`), under a symbol
 * and not enumerable, so core builds that codec instead of the signed one. Options and codecs look it up here, so
 * nothing but the value's own module imports the codec it carries.
 */
export function carryCodec<T extends object>(value: T, factory: CodecFactory): T {
  return Object.defineProperty(value, CARRIED_CODEC, { value: factory })
}

/** The codec factory a store value carries, or undefined for a store that keeps the records itself. */
export function carriedCodec(store: unknown): CodecFactory | undefined {
  return (store as Record<symbol, CodecFactory | undefined> | null | undefined)?.[CARRIED_CODEC]
}

/**
 * True for the value of `sealedCookie()` (from any copy of @sess/core): for adapters that cannot carry a session in
 * a sealed cookie and refuse it at setup.
 */
export function isSealedCookie(store: unknown): boolean {
  return carriedCodec(store) !== undefined
}
