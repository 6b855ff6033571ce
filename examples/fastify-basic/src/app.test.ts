import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'

const COOKIE = 'sessionId'
let app: FastifyInstance
let origin: string

// A real listening server, driven with fetch: the cookie goes through Fastify's real HTTP path, not inject().
beforeAll(async () => {
  app = await buildApp({ secret: 'fastify-basic-test-secret-0123456789' })
  origin = await app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(() => app.close())

interface Answer {
  body: Record<string, unknown>
  status: number
  /** The session's Set-Cookie line, if the response sent one. */
  setCookie: string | undefined
}

/** A browser's cookie handling, just enough for one session cookie; `cookie` can be replayed by hand. */
function browser() {
  const jar = { cookie: '' }
  const request = async (method: string, path: string, cookie = jar.cookie): Promise<Answer> => {
    const response = await fetch(origin + path, { method, headers: cookie ? { cookie } : {} })
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`))
    if (setCookie) jar.cookie = /Max-Age=0/.test(setCookie) ? '' : (setCookie.split(';')[0] as string)
    return { body: (await response.json()) as Record<string, unknown>, status: response.status, setCookie }
  }
  return {
    jar,
    get: (path: string, cookie?: string) => request('GET', path, cookie),
    post: (path: string) => request('POST', path),
  }
}

describe('fastify-basic', () => {
  it('counts views per session and reads them back with the cookie', async () => {
    const alice = browser()
    const first = await alice.get('/')
    expect(first.body).toEqual({ views: 1 })
    expect(first.setCookie).toMatch(new RegExp(`^${COOKIE}=[\\w-]+\\.[\\w%+/]+; Path=/; HttpOnly; SameSite=Lax$`))
    expect((await alice.get('/')).body).toEqual({ views: 2 })
    expect((await alice.get('/me')).body).toEqual({ user: null, views: 2 })
    expect((await browser().get('/')).body).toEqual({ views: 1 })
  })

  it('sends no cookie for a request that does not touch the session', async () => {
    expect((await browser().get('/me')).setCookie).toBeUndefined()
  })

  it('login regenerates: a new cookie, the old one no longer works, the views come along', async () => {
    const alice = browser()
    await alice.get('/')
    await alice.get('/')
    const before = alice.jar.cookie
    const login = await alice.post('/login?user=alice')
    expect(login.body).toEqual({ user: 'alice' })
    expect(alice.jar.cookie).not.toBe('')
    expect(alice.jar.cookie).not.toBe(before)
    expect((await alice.get('/me')).body).toEqual({ user: 'alice', views: 2 })
    expect((await alice.get('/me', before)).body).toEqual({ user: null, views: 0 })
  })

  it('logout destroys the session and clears the cookie', async () => {
    const alice = browser()
    await alice.post('/login?user=alice')
    const loggedIn = alice.jar.cookie
    const logout = await alice.post('/logout')
    expect(logout.setCookie).toMatch(new RegExp(`^${COOKIE}=; Max-Age=0;`))
    expect(alice.jar.cookie).toBe('')
    expect((await alice.get('/me', loggedIn)).body).toEqual({ user: null, views: 0 })
  })

  it('gives a fresh session for a tampered cookie', async () => {
    const alice = browser()
    await alice.post('/login?user=alice')
    const [id, signature] = alice.jar.cookie.split('.') as [string, string]
    const forged = `${id}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`
    expect((await alice.get('/me', forged)).body).toEqual({ user: null, views: 0 })
  })

  it('answers 400 to a login without a user', async () => {
    expect((await browser().post('/login')).status).toBe(400)
  })
})
