import { unstorageStore } from '@sess/store-unstorage'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it, vi } from 'vitest'
import type { Bindings } from './app.js'
import { createApp } from './app.js'

// What this file covers: the app's routes and session flow on Node, through `app.request` with the secret in the
// bindings, over @sess/store-unstorage with unstorage's *memory* driver. What it does not: workerd, Workers KV and
// worker.ts. Those are src/worker.workerd.test.ts, which `pnpm test:runtimes` runs on Miniflare.
const env: Bindings = { SESSION_SECRET: 'hono-workers-test-secret-0123456789abcdef' }

function setup() {
  const storage = createStorage({ driver: memoryDriver() })
  const app = createApp({ store: unstorageStore({ storage }) })
  const jar = { cookie: '' }
  const request = async (method: string, path: string, cookie = jar.cookie, bindings: object = env) => {
    const response = await app.request(path, { method, headers: cookie ? { cookie } : {} }, bindings)
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('sid='))
    if (setCookie) jar.cookie = /Max-Age=0/.test(setCookie) ? '' : (setCookie.split(';')[0] as string)
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, setCookie }
  }
  return { app, storage, jar, request }
}

describe('hono-workers app on Node (unstorage memory driver; workerd + Workers KV: pnpm test:runtimes)', () => {
  it('counts views per session, with the record in the storage under sess:<id>', async () => {
    const { storage, jar, request } = setup()
    expect((await request('GET', '/')).body).toEqual({ views: 1 })
    expect((await request('GET', '/')).body).toEqual({ views: 2 })
    const id = decodeURIComponent(jar.cookie.slice('sid='.length)).slice('s:'.length).split('.')[0]
    expect(await storage.getKeys('sess')).toEqual([`sess:${id}`])
  })

  it('login regenerates: a new cookie, the old one no longer works, the views come along', async () => {
    const { jar, request } = setup()
    await request('GET', '/')
    const before = jar.cookie
    expect((await request('POST', '/login?user=alice')).body).toEqual({ user: 'alice' })
    expect(jar.cookie).not.toBe(before)
    expect((await request('GET', '/me')).body).toEqual({ user: 'alice', views: 1 })
    expect((await request('GET', '/me', before)).body).toEqual({ user: null, views: 0 })
  })

  it('logout destroys the session and clears the cookie', async () => {
    const { storage, jar, request } = setup()
    await request('POST', '/login?user=alice')
    const loggedIn = jar.cookie
    expect((await request('POST', '/logout')).setCookie).toMatch(/^sid=; Max-Age=0;/)
    expect(await storage.getKeys('sess')).toEqual([])
    expect((await request('GET', '/me', loggedIn)).body).toEqual({ user: null, views: 0 })
  })

  it('takes the secret from the bindings: a cookie signed under another secret gives a fresh session', async () => {
    const { jar, request } = setup()
    await request('POST', '/login?user=alice')
    const rotated = { SESSION_SECRET: `${env.SESSION_SECRET}-rotated` }
    expect((await request('GET', '/me', jar.cookie, rotated)).body).toEqual({ user: null, views: 0 })
  })

  it('fails (500) without a SESSION_SECRET binding instead of running with a default secret', async () => {
    const { app } = setup()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await app.request('/', {}, {})
    error.mockRestore()
    expect(response.status).toBe(500)
    expect(response.headers.getSetCookie()).toEqual([])
  })
})
