import { memoryStore } from '@sess/store-memory'
import { callsWithoutUserScenario, twoDevicesScenario } from '@sess/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { Served } from './helpers.js'
import { Jar } from './helpers.js'
import { devicesApp } from './devices-scenario.js'

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})
const app = async (...args: Parameters<typeof devicesApp>): Promise<Served> => {
  const served = await devicesApp(...args)
  running.push(served)
  return served
}

describe('your devices through Express (memory store, raw ids)', () => {
  it('lists both devices with the current one marked and revokes the other by its listed id', async () => {
    const served = await app({}, memoryStore())
    await twoDevicesScenario(() => new Jar(served), false)
  })

  it('revoking the current session by its listed id ends it as destroy() does: the cookie is expired', async () => {
    const served = await app({}, memoryStore())
    const jar = new Jar(served)
    await jar.request('/login', { method: 'POST' })
    const [mine] = (await (await jar.request('/devices')).json()) as { id: string }[]
    const revoked = await jar.request(`/revoke/${encodeURIComponent(mine!.id)}`, { method: 'POST' })
    expect(await revoked.json()).toEqual({ revoked: true })
    expect(revoked.headers.getSetCookie().join()).toMatch(/connect\.sid=;.*Expires=Thu, 01 Jan 1970/)
    expect(await (await jar.request('/who')).json()).toEqual({ user: null })
  })

  it('an id that is not one of the user’s listed ids revokes nothing', async () => {
    const served = await app({}, memoryStore())
    const jar = new Jar(served)
    await jar.request('/login', { method: 'POST' })
    const revoked = await jar.request('/revoke/not-a-listed-id', { method: 'POST' })
    expect(await revoked.json()).toEqual({ revoked: false })
    expect(await (await jar.request('/who')).json()).toEqual({ user: 'ada' })
  })

  it('destroyUserSessions({ exceptCurrent }) signs out every other device and keeps this one', async () => {
    const served = await app({}, memoryStore())
    const [a, b, c] = [new Jar(served), new Jar(served), new Jar(served)]
    for (const jar of [a, b, c]) await jar.request('/login', { method: 'POST' })
    expect(await (await a.request('/others', { method: 'POST' })).json()).toEqual({ ended: 2 })
    expect(await (await b.request('/who')).json()).toEqual({ user: null })
    expect(await (await c.request('/who')).json()).toEqual({ user: null })
    expect(await (await a.request('/who')).json()).toEqual({ user: 'ada' })
  })

  it('without a user the calls fail with core’s USER_MISSING, not a TypeError', async () => {
    const served = await app({}, memoryStore())
    await callsWithoutUserScenario(new Jar(served))
  })

  it('records the user agent and IP only when the device option enables them', async () => {
    const headers = { 'user-agent': 'Agent/9', 'x-forwarded-for': '203.0.113.7' }
    const off = new Jar(await app({}, memoryStore()))
    await off.request('/login', { method: 'POST', headers })
    const [plain] = (await (await off.request('/devices')).json()) as Record<string, unknown>[]
    expect(plain).not.toHaveProperty('userAgent')
    expect(plain).not.toHaveProperty('ip')

    const agentOnly = new Jar(await app({ device: { userAgent: true } }, memoryStore()))
    await agentOnly.request('/login', { method: 'POST', headers })
    const [withAgent] = (await (await agentOnly.request('/devices')).json()) as Record<string, unknown>[]
    expect(withAgent).toMatchObject({ userAgent: 'Agent/9' })
    expect(withAgent).not.toHaveProperty('ip')

    const both = new Jar(await app({ device: { userAgent: true, ip: true } }, memoryStore()))
    await both.request('/login', { method: 'POST', headers })
    const [full] = (await (await both.request('/devices')).json()) as Record<string, unknown>[]
    // req.ip, which follows Express's trust proxy (on in this app).
    expect(full).toMatchObject({ userAgent: 'Agent/9', ip: '203.0.113.7' })
  })
})
