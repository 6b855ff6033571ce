import type { SessionRecord } from '@sess/core'

/** A session as @fastify/session (and express-session) stores keep it: the cookie next to the data. */
export interface PeerRecord {
  cookie?: {
    originalMaxAge?: number | null
    expires?: string | Date | null
    [attribute: string]: unknown
  }
  [key: string]: unknown
}

/** How records are written: the plugin's cookie attributes and lifetimes. */
export interface RecordShape {
  /** Cookie attributes written next to the data (path, httpOnly, ...), for other readers of the store. */
  attributes: Record<string, unknown>
  /** The plugin's `cookie.maxAge` in ms, or null. */
  maxAge: number | null
  /** Lifetime given to a foreign record that names no expiry, ms. */
  idleMs: number
  now(): number
}

// sess's own bookkeeping rides inside `cookie`, so the record's top-level keys stay `cookie` plus the data, as
// @fastify/session writes them.
const META = '__sess'
type Meta = Pick<SessionRecord, 'createdAt' | 'expiresAt' | 'version' | 'userId' | 'maxAge'>

/** A core record in @fastify/session's shape: `{ cookie: { originalMaxAge, expires, ... }, ...data }`. */
export function toPeerRecord(record: SessionRecord, shape: RecordShape): PeerRecord {
  const maxAge = record.maxAge === undefined ? shape.maxAge : record.maxAge === null ? null : record.maxAge * 1000
  const meta: Meta = { createdAt: record.createdAt, expiresAt: record.expiresAt, version: record.version }
  if (record.userId !== undefined) meta.userId = record.userId
  if (record.maxAge !== undefined) meta.maxAge = record.maxAge
  const expires = maxAge === null ? null : new Date(record.expiresAt)
  return { cookie: { ...shape.attributes, originalMaxAge: maxAge, expires, [META]: meta }, ...record.data }
}

/**
 * A core record from @fastify/session's shape, or null for anything that is not an object. A record written by
 * @fastify/session itself (no sess metadata) keeps its cookie's expiry and `originalMaxAge` ("remember me").
 */
export function fromPeerRecord(value: unknown, shape: RecordShape): SessionRecord | null {
  if (typeof value !== 'object' || value === null) return null
  const { cookie, ...data } = value as PeerRecord
  const meta = (cookie as { [META]?: Meta } | undefined)?.[META]
  const expires = cookie?.expires ? new Date(cookie.expires).getTime() : Number.NaN
  if (meta !== undefined) {
    return { ...meta, data, expiresAt: Number.isNaN(expires) ? meta.expiresAt : expires }
  }
  const now = shape.now()
  const original = cookie?.originalMaxAge
  const record: SessionRecord = {
    data,
    createdAt: now,
    expiresAt: Number.isNaN(expires) ? now + shape.idleMs : expires,
    version: 0,
  }
  if (typeof original === 'number' && original > 0) record.maxAge = original / 1000
  return record
}
