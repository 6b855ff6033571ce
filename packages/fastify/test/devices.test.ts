import type { FastifyInstance } from 'fastify'
import { memoryStore } from '@sess/store-memory'
import { callsWithoutUserScenario, twoDevicesScenario } from '@sess/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { FastifySessionOptions } from '../src/index.js'
import { devicesApp } from './devices-scenario.js'

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})
const start = async (options: Partial<FastifySessionOptions> = {}): Promise<Awaited<ReturnType<typeof devicesApp>>> => {
  const served = await devicesApp(options, memoryStore())
  apps.push(served.app)
  return served
}

describe('your devices through Fastify (memory store, raw ids)', () => {
  it('lists both devices with the current one marked and revokes the other by its listed id', async () => {
    const { device } = await start()
    await twoDevicesScenario(() => ({ request: device().call }), false)
  })

  it('revoking the current session by its listed id ends it as destroy() does: the cookie is expired', async () => {
    const jar = (await start()).device()
    await jar.call('/login', { method: 'POST' })
    const [mine] = await jar.json<{ id: string }[]>('/devices')
    const revoked = await jar.call(`/revoke/${encodeURIComponent(mine!.id)}`, { method: 'POST' })
    expect(await revoked.json()).toEqual({ revoked: true })
    expect(revoked.headers.getSetCookie().join()).toMatch(/sessionId=;.*Expires=Thu, 01 Jan 1970/)
    expect(await jar.json('/who')).toEqual({ user: null })
  })

  it('an id that is not one of the user’s listed ids revokes nothing', async () => {
    const jar = (await start()).device()
    await jar.call('/login', { method: 'POST' })
    expect(await jar.json('/revoke/not-a-listed-id', { method: 'POST' })).toEqual({ revoked: false })
    expect(await jar.json('/who')).toEqual({ user: 'ada' })
  })

  it('destroyUserSessions({ exceptCurrent }) signs out every other device and keeps this one', async () => {
    const { device } = await start()
    const [a, b, c] = [device(), device(), device()]
    for (const jar of [a, b, c]) await jar.call('/login', { method: 'POST' })
    expect(await a.json('/others', { method: 'POST' })).toEqual({ ended: 2 })
    expect(await b.json('/who')).toEqual({ user: null })
    expect(await c.json('/who')).toEqual({ user: null })
    expect(await a.json('/who')).toEqual({ user: 'ada' })
  })

  it('without a user the calls fail with core’s USER_MISSING', async () => {
    const jar = (await start()).device()
    await callsWithoutUserScenario({ request: jar.call })
  })

  it('records the user agent and IP only when the device option enables them', async () => {
    const headers = { 'user-agent': 'Agent/9', 'x-forwarded-for': '203.0.113.7' }
    const first = async (options: Partial<FastifySessionOptions>): Promise<Record<string, unknown>> => {
      const jar = (await start(options)).device()
      await jar.call('/login', { method: 'POST', headers })
      return (await jar.json<Record<string, unknown>[]>('/devices'))[0] as Record<string, unknown>
    }
    const plain = await first({})
    expect(plain).not.toHaveProperty('userAgent')
    expect(plain).not.toHaveProperty('ip')
    const agentOnly = await first({ device: { userAgent: true } })
    expect(agentOnly).toMatchObject({ userAgent: 'Agent/9' })
    expect(agentOnly).not.toHaveProperty('ip')
    // request.ip, which follows Fastify's trustProxy (on in this app).
    expect(await first({ device: { userAgent: true, ip: true } })).toMatchObject({
      userAgent: 'Agent/9',
      ip: '203.0.113.7',
    })
  })
})
