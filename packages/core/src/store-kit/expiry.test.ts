import { describe, expect, it } from 'vitest'
import { computeExpiresAt, touchedExpiresAt, ttlSeconds } from './expiry.js'

const policy = { now: 100_000, idleTimeout: 60, absoluteTimeout: null, touchAfter: 30 }

describe('expiry helpers', () => {
  it('computeExpiresAt caps the idle expiry at the absolute timeout', () => {
    expect(computeExpiresAt(1000, 0, 10, null)).toBe(11_000)
    expect(computeExpiresAt(1000, 0, 10, 5)).toBe(5000)
  })
  it('ttlSeconds rounds up and is at least 1', () => {
    expect(ttlSeconds(2500, 1000)).toBe(2)
    expect(ttlSeconds(1000, 1000)).toBe(1)
  })
  it('touchedExpiresAt refreshes only when the gain reaches touchAfter, unless forced', () => {
    const fresh = { createdAt: 0, expiresAt: 150_000 }
    expect(touchedExpiresAt(fresh, policy)).toBeUndefined()
    expect(touchedExpiresAt(fresh, policy, { force: true })).toBe(160_000)
    expect(touchedExpiresAt({ createdAt: 0, expiresAt: 120_000 }, policy)).toBe(160_000)
  })
  it('never brings back an expired record, and follows a per-session maxAge', () => {
    expect(touchedExpiresAt({ createdAt: 0, expiresAt: 100_000 }, policy, { force: true })).toBeUndefined()
    expect(touchedExpiresAt({ createdAt: 0, expiresAt: 101_000, maxAge: 600 }, policy)).toBe(700_000)
  })
})
