import type { SessionRecord } from '@sess/core'
import { invalidRecord } from '@sess/core'
import type { DeviceFields } from '../device.js'
import type { Row } from './driver.js'
import { fromJSONText } from './json-text.js'

const finite = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/**
 * The record a row holds, or `invalidRecord(reason)` when a column is null or of a shape this store never writes
 * (a hand-edited or foreign row): the core then starts a fresh session and reports `record-invalid`.
 */
export function toRecord(row: Row, device: boolean): SessionRecord {
  if (typeof row.data !== 'string') return invalidRecord('data is null')
  let data: unknown
  try {
    data = fromJSONText(row.data)
  } catch {
    return invalidRecord('data is not JSON')
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return invalidRecord('data is not an object')
  const createdAt = finite(row.created)
  const expiresAt = finite(row.expires)
  const version = finite(row.version)
  if (createdAt === undefined) return invalidRecord('created_at is null')
  if (expiresAt === undefined) return invalidRecord('expires_at is null')
  if (version === undefined) return invalidRecord('version is null')
  const record: SessionRecord & DeviceFields = { data: data as Record<string, unknown>, createdAt, expiresAt, version }
  if (typeof row.uid === 'string') record.userId = row.uid
  if (typeof row.maxage === 'string') {
    const maxAge = row.maxage === 'null' ? null : finite(row.maxage)
    if (maxAge === undefined) return invalidRecord('max_age is neither a number nor null')
    record.maxAge = maxAge
  }
  if (device) {
    if (typeof row.agent === 'string') record.userAgent = row.agent
    if (typeof row.ip === 'string') record.ip = row.ip
  }
  return record
}
