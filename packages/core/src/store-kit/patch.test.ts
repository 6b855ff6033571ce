import { describe, expect, it } from 'vitest'
import type { SessionRecord } from '../store.js'
import { applyPatch } from './patch.js'

const record = (): SessionRecord => ({ data: { a: 1, b: 2 }, createdAt: 0, expiresAt: 10, version: 3, userId: 'u' })

describe('applyPatch', () => {
  it('sets and unsets top-level keys, moves the expiry and bumps the version', () => {
    const r = record()
    expect(applyPatch(r, { set: { a: 5, c: [1] }, unset: ['b'], expiresAt: 20 })).toBe('ok')
    expect(r).toEqual({ data: { a: 5, c: [1] }, createdAt: 0, expiresAt: 20, version: 4, userId: 'u' })
  })
  it('changes nothing on a stale expectedVersion', () => {
    const r = record()
    expect(applyPatch(r, { set: { a: 9 }, unset: [], expiresAt: 20, expectedVersion: 2 })).toBe('conflict')
    expect(r).toEqual(record())
    expect(applyPatch(r, { set: { a: 9 }, unset: [], expiresAt: 20, expectedVersion: 3 })).toBe('ok')
  })
  it('rebinds, unbinds (null) and leaves the user alone (undefined); sets maxAge', () => {
    const r = record()
    applyPatch(r, { set: {}, unset: [], expiresAt: 20, userId: 'v', maxAge: null })
    expect([r.userId, r.maxAge]).toEqual(['v', null])
    applyPatch(r, { set: {}, unset: [], expiresAt: 20 })
    expect(r.userId).toBe('v')
    applyPatch(r, { set: {}, unset: [], expiresAt: 20, userId: null })
    expect('userId' in r).toBe(false)
  })
  it('keeps a __proto__ key as data', () => {
    const r = record()
    const set = JSON.parse('{"__proto__":{"admin":true}}') as Record<string, unknown>
    applyPatch(r, { set, unset: [], expiresAt: 20 })
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype)
    expect(JSON.stringify(r.data)).toBe('{"a":1,"b":2,"__proto__":{"admin":true}}')
  })
})
