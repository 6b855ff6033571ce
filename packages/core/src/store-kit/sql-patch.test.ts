import { describe, expect, it } from 'vitest'
import type { SessionPatch } from '../store.js'
import type { SQLPatchDialect } from './sql-patch.js'
import { sqlPatchStatement } from './sql-patch.js'
import { BROWSER_SESSION_MAX_AGE } from './sql-row.js'

const dialect: SQLPatchDialect = {
  setKeys: (data, n) => `SET(${data}${', ?, ?'.repeat(n)})`,
  removeKeys: (data, n) => `REMOVE(${data}${', ?'.repeat(n)})`,
  keyPath: (key) => `$.${key}`,
  soundRow: 'SOUND',
}
const patch = (over: Partial<SessionPatch> = {}): SessionPatch => ({ set: {}, unset: [], expiresAt: 50, ...over })

describe('sqlPatchStatement', () => {
  it('sets and removes only the listed keys, moves expiry, last seen and version, on a live sound row', () => {
    const { sql, params } = sqlPatchStatement(
      't',
      'sid',
      patch({ set: { a: 1, b: { c: [2] } }, unset: ['d'] }),
      9,
      dialect,
    )
    expect(sql).toBe(
      'UPDATE t SET data = REMOVE(SET(data, ?, ?, ?, ?), ?), expires_at = ?, last_seen_at = ?, version = version + 1 ' +
        'WHERE id = ? AND expires_at > ? AND SOUND',
    )
    expect(params).toEqual(['$.a', '1', '$.b', '{"c":[2]}', '$.d', 50, 9, 'sid', 9])
  })
  it('leaves data alone when no key changed', () => {
    const { sql, params } = sqlPatchStatement('t', 'sid', patch(), 9, dialect)
    expect(sql).toContain('SET data = data, ')
    expect(params).toEqual([50, 9, 'sid', 9])
  })
  it('rebinds the user and the lifetime when the patch says so, and checks the version in strict mode', () => {
    const { sql, params } = sqlPatchStatement(
      't',
      'sid',
      patch({ userId: null, maxAge: null, expectedVersion: 4 }),
      9,
      dialect,
    )
    expect(sql).toBe(
      'UPDATE t SET data = data, expires_at = ?, last_seen_at = ?, version = version + 1, user_id = ?, max_age = ? ' +
        'WHERE id = ? AND expires_at > ? AND SOUND AND version = ?',
    )
    expect(params).toEqual([50, 9, null, BROWSER_SESSION_MAX_AGE, 'sid', 9, 4])
  })
  it('refuses a value JSON cannot hold, with DATA_NOT_SERIALIZABLE', () => {
    expect(() => sqlPatchStatement('t', 'sid', patch({ set: { f: () => 1 } }), 9, dialect)).toThrow(
      expect.objectContaining({ code: 'DATA_NOT_SERIALIZABLE' }),
    )
  })
})
