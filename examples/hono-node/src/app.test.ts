import type { AddressInfo } from 'node:net'
import type { ServerType } from '@hono/node-server'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'

const SECRET = 'hono-node-test-secret-0123456789abcdef'
type Send = (path: string, init: RequestInit) => Promise<Response>

interface Answer {
  body: Record<string, unknown>
  status: number
  /** The session's Set-Cookie line, if the response sent one. */
  setCookie: string | undefined
}

/** A browser's cookie handling over `send`, just enough for one session cookie; `cookie` can be replayed by hand. */
function browser(send: Send) {
  const jar = { cookie: '' }
  const request = async (method: string, path: string, cookie = jar.cookie): Promise<Answer> => {
    const response = await send(path, { method, headers: cookie ? { cookie } : {} })
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('sid='))
    if (setCookie) jar.cookie = /Max-Age=0/.test(setCookie) ? '' : (setCookie.split(';')[0] as string)
    return { body: (await response.json()) as Record<string, unknown>, status: response.status, setCookie }
  }
  return {
    jar,
    get: (path: string, cookie?: string) => request('GET', path, cookie),
    post: (path: string) => request('POST', path),
  }
}

describe('hono-node, in process (app.request)', () => {
  const app = createApp({ secret: SECRET })
  const send: Send = async (path, init) => app.request(path, init)

  it('counts views per session and reads them back with the cookie', async () => {
    const alice = browser(send)
    const first = await alice.get('/')
    expect(first.body).toEqual({ views: 1 })
    expect(first.setCookie).toMatch(
      /^sid=s%3A[\w-]+\.[\w%-]+; Max-Age=86400; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/,
    )
    expect((await alice.get('/')).body).toEqual({ views: 2 })
    expect((await alice.get('/me')).body).toEqual({ user: null, views: 2 })
    expect((await browser(send).get('/')).body).toEqual({ views: 1 })
  })

  it('sends no cookie for a request that does not touch the session', async () => {
    expect((await browser(send).get('/me')).setCookie).toBeUndefined()
  })

  it('login regenerates: a new cookie, the old one no longer works, the views come along', async () => {
    const alice = browser(send)
    await alice.get('/')
    const before = alice.jar.cookie
    expect((await alice.post('/login?user=alice')).body).toEqual({ user: 'alice' })
    expect(alice.jar.cookie).not.toBe('')
    expect(alice.jar.cookie).not.toBe(before)
    expect((await alice.get('/me')).body).toEqual({ user: 'alice', views: 1 })
    expect((await alice.get('/me', before)).body).toEqual({ user: null, views: 0 })
  })

  it('logout destroys the session and clears the cookie', async () => {
    const alice = browser(send)
    await alice.post('/login?user=alice')
    const loggedIn = alice.jar.cookie
    expect((await alice.post('/logout')).setCookie).toMatch(/^sid=; Max-Age=0;/)
    expect(alice.jar.cookie).toBe('')
    expect((await alice.get('/me', loggedIn)).body).toEqual({ user: null, views: 0 })
  })

  it('gives a fresh session for a tampered cookie', async () => {
    const alice = browser(send)
    await alice.post('/login?user=alice')
    const forged = alice.jar.cookie.replace(/\.(.)/, (_, first: string) => `.${first === 'A' ? 'B' : 'A'}`)
    expect((await alice.get('/me', forged)).body).toEqual({ user: null, views: 0 })
  })

  it('answers 400 to a login without a user', async () => {
    expect((await browser(send).post('/login')).status).toBe(400)
  })
})

describe('hono-node on a real server (@hono/node-server)', () => {
  let server: ServerType
  let origin: string
  beforeAll(async () => {
    const app = createApp({ secret: SECRET })
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('sets, reads back, regenerates and destroys a session over HTTP', async () => {
    const alice = browser((path, init) => fetch(origin + path, init))
    expect((await alice.get('/')).body).toEqual({ views: 1 })
    expect((await alice.get('/')).body).toEqual({ views: 2 })
    const anonymous = alice.jar.cookie
    await alice.post('/login?user=alice')
    expect(alice.jar.cookie).not.toBe(anonymous)
    expect((await alice.get('/me')).body).toEqual({ user: 'alice', views: 2 })
    expect((await alice.get('/me', anonymous)).body).toEqual({ user: null, views: 0 })
    const loggedIn = alice.jar.cookie
    expect((await alice.post('/logout')).setCookie).toMatch(/^sid=; Max-Age=0;/)
    expect((await alice.get('/me', loggedIn)).body).toEqual({ user: null, views: 0 })
  })
})
