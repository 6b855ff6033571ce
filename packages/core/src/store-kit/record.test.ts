import { describe, expect, it } from 'vitest'
import { invalidRecord, recordProblem } from './record.js'

describe('record validation', () => {
  it('accepts a sound record', () => {
    expect(recordProblem({ data: {}, createdAt: 1, expiresAt: 2, version: 0, userId: 'u', maxAge: null })).toBe(
      undefined,
    )
  })
  it('reports the reason given to invalidRecord', () => {
    expect(recordProblem(invalidRecord('undecodable'))).toBe('undecodable')
  })
  it('names what is wrong with a malformed value', () => {
    expect(recordProblem(null)).toBe('not an object')
    expect(recordProblem({ data: [], createdAt: 1, expiresAt: 2 })).toBe('data is not an object')
    expect(recordProblem({ data: {}, createdAt: '1', expiresAt: 2 })).toBe('createdAt is not a number')
    expect(recordProblem({ data: {}, createdAt: 1, expiresAt: Number.NaN })).toBe('expiresAt is not a number')
    expect(recordProblem({ data: {}, createdAt: 1, expiresAt: 2, userId: 3 })).toBe('userId is not a string')
    const base = { data: {}, createdAt: 1, expiresAt: 2 }
    expect(recordProblem({ ...base, version: '1' })).toBe('version is not a number')
    expect(recordProblem({ ...base, version: null })).toBe('version is not a number')
    expect(recordProblem({ ...base, maxAge: '60' })).toBe('maxAge is not a number')
    expect(recordProblem({ ...base, userAgent: 1 })).toBe('userAgent is not a string')
    expect(recordProblem({ ...base, ip: null })).toBe('ip is not a string')
    expect(recordProblem({ ...base, createdAt: Number.POSITIVE_INFINITY })).toBe('createdAt is not a number')
  })
})
