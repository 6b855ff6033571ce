import type { StoredSession } from '@sess/core'
import { invalidRecord } from '@sess/core'
import type { LegacyRecord } from './stores.js'

/** Where the sess metadata rides inside an express-session record; express-session keeps it as a data key. */
const META = '__sess'
type Meta = Pick<StoredSession, 'createdAt' | 'expiresAt' | 'version' | 'userId' | 'maxAge'>

/** How records are shaped: the cookie attributes to store and the lifetime of records that carry none. */
export interface RecordShape {
  /** Cookie attributes written next to the data (path, httpOnly, ...). */
  attributes: Record<string, unknown>
  /** The default `originalMaxAge`, ms; null for a browser-session cookie. */
  maxAge: number | null
  now(): number
}

const FOREIGN_GRACE_MS = 1000

/** A core record in express-session's shape: `{ cookie, ...data, __sess }`. */
export function toLegacyRecord(record: StoredSession, shape: RecordShape): LegacyRecord {
  const maxAge = record.maxAge === undefined ? shape.maxAge : record.maxAge === null ? null : record.maxAge * 1000
  const meta: Meta = { createdAt: record.createdAt, expiresAt: record.expiresAt, version: record.version }
  if (record.userId !== undefined) meta.userId = record.userId
  if (record.maxAge !== undefined) meta.maxAge = record.maxAge
  const expires = maxAge === null ? null : new Date(record.expiresAt).toISOString()
  return { cookie: { ...shape.attributes, originalMaxAge: maxAge, expires }, ...record.data, [META]: meta }
}

/** A core record from express-session's shape; null for none, and an invalid record for one without a cookie. */
export function fromLegacyRecord(value: unknown, shape: RecordShape): StoredSession | null {
  if (value === null || value === undefined) return null
  const { cookie, [META]: meta, ...data } = value as Partial<LegacyRecord> & { [META]?: Meta }
  // express-session fails such a request on every visit until the cookie expires; a fresh session is kinder.
  if (typeof cookie !== 'object' || cookie === null)
    return invalidRecord('no cookie property (not an express-session record)')
  const expires = cookie?.expires ? new Date(cookie.expires).getTime() : undefined
  // Written by express-session (no metadata, or a cookie expiry it moved): the store's own TTL says the session is
  // alive, while the stored expiry may be stale (its touch() only extends the TTL). Expiring in a second makes the
  // first sess request refresh it, rewriting it with metadata.
  if (meta === undefined || (expires !== undefined && expires !== meta.expiresAt)) {
    const original = cookie?.originalMaxAge
    const maxAge = typeof original === 'number' ? original / 1000 : null
    return { data, createdAt: shape.now(), expiresAt: shape.now() + FOREIGN_GRACE_MS, version: 0, maxAge }
  }
  return { data, ...meta }
}
