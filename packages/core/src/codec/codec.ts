import type { SessionState } from '../session/state.js'
import type { SessionRecord, Store } from '../store.js'

/** What a cookie value names once opened. */
export interface OpenedCookie {
  id: string
  /** A secret other than the first opened it: the cookie is re-issued on this response. */
  rotated: boolean
  /** Sealed mode: the record the cookie itself carries (unchecked). Undefined when the record is in a store. */
  record?: unknown
}

/**
 * One way of carrying a session in its cookie: signed (the id, with an HMAC) or sealed (the whole record,
 * encrypted). The candidate loop (`loadState`) is the same for both.
 */
export interface CookieCodec {
  /** Opens one cookie value; null when it was not issued by us (or under a secret no longer listed). */
  open(value: string): OpenedCookie | null | Promise<OpenedCookie | null>
  /** Where this request's record lives: the configured store, or a slot holding the record the cookie carried. */
  storeFor(opened: { id: string; record: SessionRecord } | undefined): Store
  /** The cookie value for the session as it is now. */
  value(state: SessionState): Promise<string>
  /** The cookie value, when it can be had without awaiting (a cached or synchronously signed value). */
  valueSync(state: SessionState): string | undefined
  /** Remembers the request's own cookie value when it is exactly what {@link value} would give. */
  adopt(state: SessionState, value: string, opened: OpenedCookie): void
}
