import { describe, expect, it, vi } from 'vitest'
import { integrationGate, requireIntegration } from '../src/integration.js'

describe('requireIntegration', () => {
  it('is true on CI or with SESS_REQUIRE_INTEGRATION=1, false otherwise', () => {
    expect(requireIntegration({ CI: 'true' })).toBe(true)
    expect(requireIntegration({ CI: '1' })).toBe(true)
    expect(requireIntegration({ SESS_REQUIRE_INTEGRATION: '1' })).toBe(true)
    expect(requireIntegration({})).toBe(false)
    expect(requireIntegration({ CI: 'false', SESS_REQUIRE_INTEGRATION: '0' })).toBe(false)
  })
})

describe('integrationGate', () => {
  it('runs the suite when the server is available', () => {
    const gate = integrationGate('Redis', undefined, { CI: 'true' })
    expect(gate).toMatchObject({ skip: false, reason: undefined })
    expect(gate.title('redis store')).toBe('redis store')
  })

  it('fails when the server is missing and integration is required', () => {
    expect(() => integrationGate('Redis', 'redis-server is not on PATH', { CI: 'true' })).toThrow(
      /Redis is required here .* unavailable: redis-server is not on PATH/,
    )
    expect(() => integrationGate('MongoDB', 'MONGO_URL is not set', { SESS_REQUIRE_INTEGRATION: '1' })).toThrow(
      /MongoDB is required/,
    )
  })

  it('skips visibly when the server is missing and integration is optional', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const gate = integrationGate('MongoDB', 'MONGO_URL is not set', {})
    expect(gate.skip).toBe(true)
    expect(gate.title('mongo store')).toBe('mongo store [skipped: MONGO_URL is not set]')
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('MONGO_URL is not set'))
    warn.mockRestore()
  })
})
