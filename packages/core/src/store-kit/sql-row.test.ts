import { describe, expect, it } from 'vitest'
import type { SessionRow } from './sql-row.js'
import { BROWSER_SESSION_MAX_AGE, decodeSessionRow, encodeMaxAge, listSessionRows } from './sql-row.js'

const toNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const row = (over: Partial<SessionRow> = {}): SessionRow => ({
  data: '{"a":1}',
  created_at: 10,
  expires_at: 20,
  last_seen_at: 15,
  version: 2,
  user_id: null,
  max_age: null,
  user_agent: 'UA',
  ip: '1.2.3.4',
  ...over,
})

describe('decodeSessionRow', () => {
  it('decodes a sound row, leaving device columns out unless asked', () => {
    expect(decodeSessionRow(row(), { device: false, toNumber })).toEqual({
      data: { a: 1 },
      createdAt: 10,
      expiresAt: 20,
      version: 2,
    })
    expect(decodeSessionRow(row({ user_id: 'u' }), { device: true, toNumber })).toEqual({
      data: { a: 1 },
      createdAt: 10,
      expiresAt: 20,
      version: 2,
      userId: 'u',
      userAgent: 'UA',
      ip: '1.2.3.4',
    })
  })
  it('reads max_age: NULL is absent, the browser-session mark is null, a number is kept', () => {
    expect(decodeSessionRow(row(), { device: false, toNumber })).not.toHaveProperty('maxAge')
    expect(decodeSessionRow(row({ max_age: BROWSER_SESSION_MAX_AGE }), { device: false, toNumber })).toMatchObject({
      maxAge: null,
    })
    expect(decodeSessionRow(row({ max_age: 60 }), { device: false, toNumber })).toMatchObject({ maxAge: 60 })
  })
  it('says why a row is not a sound session', () => {
    const reason = (over: Partial<SessionRow>): unknown => decodeSessionRow(row(over), { device: false, toNumber })
    expect(reason({ data: null })).toBe('data is null')
    expect(reason({ data: '{' })).toBe('data is not JSON')
    expect(reason({ data: '[1]' })).toBe('data is not an object')
    expect(reason({ data: 'null' })).toBe('data is not an object')
    expect(reason({ created_at: null })).toBe('created_at is null')
    expect(reason({ expires_at: 'x' })).toBe('expires_at is null')
    expect(reason({ version: undefined })).toBe('version is null')
    expect(reason({ max_age: 'soon' })).toBe('max_age is not a number')
  })
  it('uses the driver-specific number reading it is given', () => {
    const fromString = (v: unknown): number | undefined => (typeof v === 'string' ? Number(v) : undefined)
    const r = row({ created_at: '1', expires_at: '2', version: '3' })
    expect(decodeSessionRow(r, { device: false, toNumber: fromString })).toMatchObject({
      createdAt: 1,
      expiresAt: 2,
      version: 3,
    })
    expect(decodeSessionRow(r, { device: false, toNumber })).toBe('created_at is null')
  })
})

describe('encodeMaxAge', () => {
  it('is the inverse of the max_age reading', () => {
    expect(encodeMaxAge(undefined)).toBeNull()
    expect(encodeMaxAge(null)).toBe(BROWSER_SESSION_MAX_AGE)
    expect(encodeMaxAge(30)).toBe(30)
  })
})

describe('listSessionRows', () => {
  it('lists sound rows with their listed id and last-seen time, leaving corrupt rows out', () => {
    const rows = [
      { ...row({ last_seen_at: 17 }), id: 'a' },
      { ...row({ data: '[' }), id: 'b' },
      { ...row({ last_seen_at: null }), id: 'c' },
    ]
    const list = listSessionRows(rows, { device: false, toNumber, listedId: (id) => `#${id}` })
    expect(list.map((s) => [s.id, s.lastSeenAt])).toEqual([
      ['#a', 17],
      ['#c', 10],
    ])
    expect(list[0]?.session).toEqual({ data: { a: 1 }, createdAt: 10, expiresAt: 20, version: 2 })
  })
})
