import type { StoredSession } from '@sess/core'
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
  return doc
}

const validTime = (value: unknown): number | undefined =>
  value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined

/**
 * The record a document holds, or `null` when its shape is not one this store writes (a hand-edited or foreign
 * document): the core then starts a fresh session instead of failing the request.
 */
export function toRecord(doc: unknown): StoredSession | null {
  if (typeof doc !== 'object' || doc === null) return null
  const { data, expiresAt, createdAt, version, userId, maxAge } = doc as Record<string, unknown>
  const expires = validTime(expiresAt)
  const created = validTime(createdAt)
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !isPlain(data)) return null
  if (expires === undefined || created === undefined || typeof version !== 'number' || !Number.isFinite(version)) {
    return null
  }
  if (userId !== undefined && typeof userId !== 'string') return null
  if (maxAge !== undefined && maxAge !== null && typeof maxAge !== 'number') return null
  const record: StoredSession = {
    data: fromStored(data) as Record<string, unknown>,
    createdAt: created,
    expiresAt: expires,
    version,
  }
  if (userId !== undefined) record.userId = userId
  if (maxAge !== undefined) record.maxAge = maxAge
  return record
}
