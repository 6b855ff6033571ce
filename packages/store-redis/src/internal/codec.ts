import type { StoredSession } from '@sess/core'
import { SessionStateError, setOwn } from '@sess/core'
import type { RedisSerializer as Serializer } from '../redis-store.js'

/** Hash field of data key `key`; the prefix keeps data apart from the meta fields. */
export const DATA_FIELD_PREFIX = 'd:'

/** The text of one data value; a serializer that yields no string (e.g. JSON of a function) is a caller error. */
export function encodeValue(serializer: Serializer, key: string, value: unknown): string {
  const text = serializer.stringify(value)
  if (typeof text !== 'string') {
    throw new SessionStateError(
      'DATA_NOT_SERIALIZABLE',
      `[sess] [store-redis] The serializer gave no string for session key ${JSON.stringify(key)}; store JSON-safe values only.`,
    )
  }
  return text
}

/** The hash fields and values of a record, flat, as HSET takes them. */
export function encodeRecord(record: StoredSession, serializer: Serializer): string[] {
  const fields = ['createdAt', String(record.createdAt), 'expiresAt', String(record.expiresAt)]
  fields.push('version', String(record.version ?? 0))
  if (typeof record.userId === 'string' && record.userId !== '') fields.push('userId', record.userId)
  if (record.maxAge !== undefined) fields.push('maxAge', encodeMaxAge(record.maxAge))
  if (typeof record.userAgent === 'string') fields.push('userAgent', record.userAgent)
  if (typeof record.ip === 'string') fields.push('ip', record.ip)
  for (const [key, value] of Object.entries(record.data)) {
    fields.push(DATA_FIELD_PREFIX + key, encodeValue(serializer, key, value))
  }
  return fields
}

/** `'null'` for a browser-session cookie, else the seconds as text. */
export function encodeMaxAge(maxAge: number | null): string {
  return maxAge === null ? 'null' : String(maxAge)
}

/** HGETALL's reply as flat pairs: an array (RESP2), or a Map or plain object (RESP3 clients). */
export function flatPairs(reply: unknown): unknown[] {
  if (Array.isArray(reply)) return reply
  if (reply instanceof Map) return [...reply].flat()
  if (typeof reply === 'object' && reply !== null) return Object.entries(reply).flat()
  return []
}

/**
 * The record held in flat HGETALL pairs, or undefined when they are not one of ours (a foreign hash, garbage
 * fields, a value the serializer cannot parse): the whole record is dropped, never passed on half-parsed.
 */
export function decodeRecord(pairs: readonly unknown[], serializer: Serializer): StoredSession | undefined {
  if (pairs.length % 2 !== 0) return undefined
  const data: Record<string, unknown> = {}
  let createdAt: number | undefined
  let expiresAt: number | undefined
  let version: number | undefined
  let userId: string | undefined
  let maxAge: number | null | undefined
  let userAgent: string | undefined
  let ip: string | undefined
  for (let i = 0; i < pairs.length; i += 2) {
    const field = pairs[i]
    const text = pairs[i + 1]
    if (typeof field !== 'string' || typeof text !== 'string') return undefined
    if (field.startsWith(DATA_FIELD_PREFIX)) {
      let value: unknown
      try {
        value = serializer.parse(text)
      } catch {
        return undefined
      }
      setOwn(data, field.slice(DATA_FIELD_PREFIX.length), value)
    } else if (field === 'createdAt') createdAt = toNumber(text)
    else if (field === 'expiresAt') expiresAt = toNumber(text)
    else if (field === 'version') version = toNumber(text)
    else if (field === 'userId' && text !== '') userId = text
    else if (field === 'userAgent') userAgent = text
    else if (field === 'ip') ip = text
    else if (field === 'maxAge') {
      maxAge = text === 'null' ? null : toNumber(text)
      if (maxAge === undefined) return undefined
    } else return undefined
  }
  if (createdAt === undefined || expiresAt === undefined || version === undefined) return undefined
  const record: StoredSession = { data, createdAt, expiresAt, version }
  if (userId !== undefined) record.userId = userId
  if (maxAge !== undefined) record.maxAge = maxAge
  if (userAgent !== undefined) record.userAgent = userAgent
  if (ip !== undefined) record.ip = ip
  return record
}

function toNumber(text: string): number | undefined {
  const value = text.trim() === '' ? Number.NaN : Number(text)
  return Number.isFinite(value) ? value : undefined
}
