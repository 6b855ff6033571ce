import { describe, expect, it } from 'vitest'
import type { SessionRow } from './sql-row.js'
import { BROWSER_SESSION_MAX_AGE, decodeSessionRow, SQL_SESSION_COLUMNS } from './sql-row.js'
import type { SQLUpsertDialect } from './sql-upsert.js'
import { sqlUpsertStatement } from './sql-upsert.js'

const toNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const dialect: SQLUpsertDialect = { conflict: 'ON CONFLICT (id) DO UPDATE SET', assign: (c) => `excluded.${c}` }
const record = {
  data: { a: 1 },
  createdAt: 10,
  expiresAt: 20,
  version: 3,
  userId: 'u',
  maxAge: null,
  userAgent: 'Agent/1.0',
  ip: '2001:db8::1',
}

describe('sqlUpsertStatement', () => {
  it('inserts every column of the layout and replaces every one but the id', () => {
    const { sql } = sqlUpsertStatement('t', 'sid', record, { now: 15, device: true }, dialect)
    expect(sql).toBe(
      `INSERT INTO t (${SQL_SESSION_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET ` +
        'data = excluded.data, created_at = excluded.created_at, expires_at = excluded.expires_at, ' +
        'last_seen_at = excluded.last_seen_at, version = excluded.version, user_id = excluded.user_id, ' +
        'max_age = excluded.max_age, user_agent = excluded.user_agent, ip = excluded.ip',
    )
  })
  it('binds one value per column, in the layout order, that decodeSessionRow reads back', () => {
    const { params } = sqlUpsertStatement('t', 'sid', record, { now: 15, device: true }, dialect)
    expect(params).toEqual(['sid', '{"a":1}', 10, 20, 15, 3, 'u', BROWSER_SESSION_MAX_AGE, 'Agent/1.0', '2001:db8::1'])
    const row = Object.fromEntries(SQL_SESSION_COLUMNS.map((c, i) => [c, params[i]])) as unknown as SessionRow
    expect(decodeSessionRow(row, { device: true, toNumber })).toEqual(record)
  })
  it('writes NULL for what the record leaves out, and for device metadata unless asked', () => {
    const bare = { data: {}, createdAt: 1, expiresAt: 2, version: 1 }
    const params = (r: typeof bare, device: boolean): unknown[] =>
      sqlUpsertStatement('t', 'x', r, { now: 1, device }, dialect).params
    expect(params(bare, true).slice(6)).toEqual([null, null, null, null])
    expect(params(record, false).slice(8)).toEqual([null, null])
  })
  it('cuts device metadata to the column widths it is given', () => {
    const widths = { userAgent: 5, ip: 4 }
    const { params } = sqlUpsertStatement('t', 'x', record, { now: 1, device: true, widths }, dialect)
    expect(params.slice(8)).toEqual(['Agent', '2001'])
  })
})
