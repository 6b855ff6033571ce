import { isSessionError } from '@sess/core'
import { memoryStore } from '@sess/store-memory'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { HonoSessionOptions } from '../src/index.js'
import { session } from '../src/index.js'

const SECRET = 'hono-test-secret-0123456789abcdef-xyz'

function thrownBy(run: () => unknown): Error & { code?: string } {
  try {
    run()
  } catch (error) {
    expect(isSessionError(error)).toBe(true)
    return error as Error & { code?: string }
  }
  throw new Error('expected a throw')
}

describe('Hono setup errors are coded and actionable (issue 15.5)', () => {
  it('session() with no argument', () => {
    const error = thrownBy(() => (session as (o?: unknown) => unknown)())
    expect(error.code).toBe('OPTION_INVALID')
    expect(error.message).toMatch(/^\[sess\] \[hono\] session\(\) needs options: session\(\{ secret, store \}\)/)
  })
  it('idleTimeout in milliseconds by mistake', () => {
    const error = thrownBy(() => session({ secret: SECRET, store: memoryStore(), idleTimeout: 86_400_000 }))
    expect(error.code).toBe('OPTION_INVALID')
    expect(error.message).toMatch(/idleTimeout.*got 86400000\. Seconds, did you pass milliseconds\?/)
  })
  it('an unknown option name names the closest known option; a foreign one lists the known options', () => {
    const typo = thrownBy(() =>
      session({ secret: SECRET, store: memoryStore(), trustProxi: true } as HonoSessionOptions),
    )
    expect(typo).toMatchObject({ code: 'OPTION_INVALID' })
    expect(typo.message).toMatch(/Unknown option 'trustProxi' in session\(\)\. Did you mean 'trustProxy'\?/)
    const foreign = thrownBy(() => session({ secret: SECRET, store: memoryStore(), maxAge: 60 } as HonoSessionOptions))
    expect(foreign.message).toMatch(/Unknown option 'maxAge'.*Known: .*idleTimeout/)
  })
  it('the removed sealed option: OPTION_INVALID at setup, pointing to store: sealedCookie()', () => {
    for (const sealed of [true, false]) {
      const error = thrownBy(() => session({ secret: SECRET, sealed } as unknown as HonoSessionOptions))
      expect(error).toMatchObject({ code: 'OPTION_INVALID' })
      expect(error.message).toMatch(/^\[sess\] Option sealed was removed: pass store: sealedCookie\(\) instead\.$/)
    }
  })
  it('option types: generateId not a function, rolling not a boolean', () => {
    const id = thrownBy(() => session({ secret: SECRET, store: memoryStore(), generateId: 'abc' as never }))
    expect(id).toMatchObject({
      code: 'OPTION_INVALID',
      message: expect.stringMatching(/generateId must be of type function; got "abc"/),
    })
    const proxy = thrownBy(() => session({ secret: SECRET, store: memoryStore(), rolling: 'false' as never }))
    expect(proxy).toMatchObject({
      code: 'OPTION_INVALID',
      message: expect.stringMatching(/rolling must be of type boolean; got "false"/),
    })
  })
  it('a secret function returning undefined: SECRET_MISSING naming the callback, through app.onError', async () => {
    const app = new Hono()
    let caught: (Error & { code?: string }) | undefined
    app.onError((error, c) => {
      caught = error
      return c.text('config', 500)
    })
    app.use(
      session({
        secret: (c) => (c.env as { SESSION_SECRET?: string } | undefined)?.SESSION_SECRET as string,
        store: memoryStore(),
      }),
    )
    app.get('/', (c) => c.text('ok'))
    const res = await app.request('/', {}, {})
    expect(res.status).toBe(500)
    expect(caught?.code).toBe('SECRET_MISSING')
    expect(caught?.message).toMatch(
      /^\[sess\] \[hono\] secret: \(c\) => \.\.\. returned undefined: set the binding it reads\./,
    )
    expect(caught?.message).not.toMatch(/join/)
  })
})

describe('your devices on Hono', () => {
  it('records the user agent, and the IP from a trusted proxy or clientIp, only when enabled; lists and revokes', async () => {
    const store = memoryStore()
    const app = new Hono()
      .use(session({ secret: SECRET, store, trustProxy: true, device: { userAgent: true, ip: true } }))
      .post('/login', (c) => (c.get('session').setUser('ada'), c.text('in')))
      .get('/devices', async (c) => c.json(await c.get('session').listUserSessions()))
      .post('/others', async (c) => c.json(await c.get('session').destroyUserSessions({ exceptCurrent: true })))
      .post('/revoke/:id', async (c) => c.json(await c.get('session').destroyUserSession(c.req.param('id'))))
    const login = async (ua: string, ip: string) => {
      const res = await app.request('/login', {
        method: 'POST',
        headers: { 'user-agent': ua, 'x-forwarded-for': `${ip}, 10.0.0.1` },
      })
      return res.headers.getSetCookie()[0]!.split(';')[0]!
    }
    const phone = await login('Phone', '203.0.113.5')
    const laptop = await login('Laptop', '198.51.100.7')
    await login('Tablet', '192.0.2.4')
    const list = (await (await app.request('/devices', { headers: { cookie: phone } })).json()) as Array<{
      id: string
      current: boolean
      userAgent?: string
      ip?: string
      lastSeenAt: number
    }>
    expect(list.map((d) => [d.userAgent, d.ip, d.current]).sort()).toEqual([
      ['Laptop', '198.51.100.7', false],
      ['Phone', '203.0.113.5', true],
      ['Tablet', '192.0.2.4', false],
    ])
    const tablet = list.find((d) => d.userAgent === 'Tablet')!
    const revoked = await app.request(`/revoke/${encodeURIComponent(tablet.id)}`, {
      method: 'POST',
      headers: { cookie: phone },
    })
    expect(await revoked.json()).toBe(true)
    expect(await (await app.request('/others', { method: 'POST', headers: { cookie: phone } })).json()).toBe(1)
    const onLaptop = await app.request('/devices', { headers: { cookie: laptop } })
    expect(onLaptop.status).toBe(500) // signed out: a fresh session without a user (USER_MISSING)
    const left = (await (await app.request('/devices', { headers: { cookie: phone } })).json()) as unknown[]
    expect(left).toHaveLength(1)
  })
  it('without the device option nothing is read or recorded; without a trusted proxy clientIp gives the IP', async () => {
    const store = memoryStore()
    const plain = new Hono()
      .use(session({ secret: SECRET, store }))
      .post('/login', (c) => (c.get('session').setUser('bob'), c.text('in')))
      .get('/devices', async (c) => c.json(await c.get('session').listUserSessions()))
    const cookie = (await plain.request('/login', { method: 'POST', headers: { 'user-agent': 'UA' } })).headers
      .getSetCookie()[0]!
      .split(';')[0]!
    expect(await (await plain.request('/devices', { headers: { cookie } })).json()).toEqual([
      expect.not.objectContaining({ userAgent: expect.anything() }),
    ])
    const withIp = new Hono()
      .use(session({ secret: SECRET, store: memoryStore(), device: { ip: true }, clientIp: () => '127.0.0.9' }))
      .post('/login', (c) => (c.get('session').setUser('eve'), c.text('in')))
      .get('/devices', async (c) => c.json(await c.get('session').listUserSessions()))
    const res = await withIp.request('/login', { method: 'POST', headers: { 'x-forwarded-for': '6.6.6.6' } })
    const next = res.headers.getSetCookie()[0]!.split(';')[0]!
    expect(await (await withIp.request('/devices', { headers: { cookie: next } })).json()).toEqual([
      expect.objectContaining({ ip: '127.0.0.9', current: true }),
    ])
  })
})
