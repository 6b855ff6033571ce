import type { StoredSession } from '@sess/core'
import { invalidRecord } from '@sess/core'
import { fromStored, isPlain, toStored } from './keys.js'

/** One session as MongoDB holds it. */
export interface SessionDocument {
  /** The session id, or its SHA-256 (hex) with `hashIds`. */
  _id: string
  /** The session data as a sub-document; keys MongoDB cannot hold are escaped (`.` → `%2E`, leading `$` → `%24`). */
  data: Record<string, unknown>
  /** When the session expires; the TTL index deletes the document some time after this instant. */
  expiresAt: Date
  /** When the session was created (the absolute timeout counts from here). */
  createdAt: Date
  /** Incremented by every patch; strict mode compares it. */
  version: number
  /** The bound user, absent when unbound (the user-id index is partial). */
  userId?: string
  /** Per-session cookie lifetime in seconds, `null` for a browser-session cookie, absent for the default. */
  maxAge?: number | null
  /** The opt-in `User-Agent` of the request that created the session ("your devices"). */
  userAgent?: string
  /** The opt-in client IP of the request that created the session. */
  ip?: string
}

/** The document for a record, without `_id` (replaceOne takes it from the filter). */
export function toDocument(session: StoredSession): Omit<SessionDocument, '_id'> {
  const doc: Omit<SessionDocument, '_id'> = {
    data: toStored(session.data) as Record<string, unknown>,
    expiresAt: new Date(session.expiresAt),
    createdAt: new Date(session.createdAt),
    version: session.version,
  }
  if (typeof session.userId === 'string') doc.userId = session.userId
  if (session.maxAge !== undefined) doc.maxAge = session.maxAge
  if (typeof session.userAgent === 'string') doc.userAgent = session.userAgent
  if (typeof session.ip === 'string') doc.ip = session.ip
  return doc
}

const validTime = (value: unknown): number | undefined =>
  value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined

/** When a document expires, epoch ms, or undefined when its expiresAt is not a valid Date. */
export function expiryOf(doc: Record<string, unknown>): number | undefined {
  return validTime(doc.expiresAt)
}

/**
 * The record a document holds, or `invalidRecord(reason)` when its shape is not one this store writes (a
 * hand-edited or foreign document): the core then starts a fresh session and reports `record-invalid`, instead of
 * failing the request or passing it off as a plain miss.
 */
export function toRecord(doc: Record<string, unknown>): StoredSession {
  const { data, expiresAt, createdAt, version, userId, maxAge, userAgent, ip } = doc
  const expires = validTime(expiresAt)
  const created = validTime(createdAt)
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !isPlain(data)) {
    return invalidRecord('data is not a document')
  }
  if (expires === undefined) return invalidRecord('expiresAt is not a date')
  if (created === undefined) return invalidRecord('createdAt is not a date')
  if (typeof version !== 'number' || !Number.isFinite(version)) return invalidRecord('version is not a number')
  if (userId !== undefined && typeof userId !== 'string') return invalidRecord('userId is not a string')
  if (maxAge !== undefined && maxAge !== null && typeof maxAge !== 'number')
    return invalidRecord('maxAge is not a number')
  if (userAgent !== undefined && typeof userAgent !== 'string') return invalidRecord('userAgent is not a string')
  if (ip !== undefined && typeof ip !== 'string') return invalidRecord('ip is not a string')
  const record: StoredSession = {
    data: fromStored(data) as Record<string, unknown>,
    createdAt: created,
    expiresAt: expires,
    version,
  }
  if (userId !== undefined) record.userId = userId
  if (maxAge !== undefined) record.maxAge = maxAge
  if (userAgent !== undefined) record.userAgent = userAgent
  if (ip !== undefined) record.ip = ip
  return record
}
