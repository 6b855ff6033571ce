import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index.js'
import { eachCookieSetup, serve } from './serve.js'

/** A store that counts what the plugin asks of it (callback style, as @fastify/session stores are). */
function countingStore() {
  const map = new Map<string, unknown>()
  const calls = { get: 0, set: 0, destroy: 0 }
  return {
    map,
    calls,
    get(id: string, cb: (err: unknown, value?: unknown) => void) {
      calls.get++
      cb(null, map.get(id))
    },
    set(id: string, value: unknown, cb: (err?: unknown) => void) {
      calls.set++
      map.set(id, JSON.parse(JSON.stringify(value)))
      cb()
    },
    destroy(id: string, cb: (err?: unknown) => void) {
      calls.destroy++
      map.delete(id)
      cb()
    },
  }
}

describe.each(eachCookieSetup)("@fastify/session's defaults, %s", (_, cookiePlugin) => {
  const routes = (app: import('fastify').FastifyInstance) => {
    app.get('/count', async (request) => {
      request.session.views = ((request.session.views as number | undefined) ?? 0) + 1
      return { views: request.session.views, store: request.sessionStore instanceof MemoryStore }
    })
    app.get('/read', async (request) => ({ views: request.session.views ?? null }))
  }

  it('keeps sessions in a MemoryStore without a store option, under the cookie name sessionId', async () => {
    const { request } = await serve({}, routes, { cookiePlugin })
    const first = await request('/count', { https: true })
    expect(first.body).toEqual({ views: 1, store: true })
    expect(first.cookie).toMatch(/^sessionId=[\w-]{32}\.[\w%]+$/)
    expect((await request('/count', { https: true, cookie: first.cookie })).body).toEqual({ views: 2, store: true })
  })

  it('cookie.secure defaults to true: Secure behind a trusted HTTPS proxy, no cookie at all over plain HTTP', async () => {
    const { request } = await serve({}, routes, { cookiePlugin })
    const https = await request('/count', { https: true })
    expect(https.setCookie[0]).toMatch(/; HttpOnly; Secure$/)
    const http = await request('/count')
    expect(http.setCookie).toEqual([])
  })

  it("cookie.secure 'auto' follows the request, with SameSite=Lax over plain HTTP", async () => {
    const { request } = await serve({ cookie: { secure: 'auto', sameSite: 'none' } }, routes, { cookiePlugin })
    expect((await request('/count')).setCookie[0]).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/)
    expect((await request('/count', { https: true })).setCookie[0]).toMatch(/; HttpOnly; Secure; SameSite=None$/)
  })

  it('saveUninitialized: a new visitor who stores nothing gets a cookie and a record (true), or neither (false)', async () => {
    const store = countingStore()
    const on = await serve({ store }, routes, { cookiePlugin })
    expect((await on.request('/read', { https: true })).setCookie).toHaveLength(1)
    expect(store.map.size).toBe(1)
    const off = countingStore()
    const quiet = await serve({ store: off, saveUninitialized: false }, routes, { cookiePlugin })
    expect((await quiet.request('/read', { https: true })).setCookie).toEqual([])
    expect(off.calls).toEqual({ get: 0, set: 0, destroy: 0 })
  })

  it('rolling re-sends the cookie on a read, while the store is not rewritten (the refresh is throttled)', async () => {
    const store = countingStore()
    const { request } = await serve({ store, cookie: { maxAge: 3_600_000 } }, routes, { cookiePlugin })
    const first = await request('/count', { https: true })
    expect(store.calls.set).toBe(1)
    const read = await request('/read', { https: true, cookie: first.cookie })
    expect(read.body).toEqual({ views: 1 })
    expect(read.setCookie[0]).toMatch(/; Expires=/)
    expect(store.calls).toEqual({ get: 1, set: 1, destroy: 0 })
    const still = await serve({ store, rolling: false }, routes, { cookiePlugin })
    expect((await still.request('/read', { https: true, cookie: first.cookie })).setCookie).toEqual([])
  })

  it('expires a cookie naming no session when there is nothing to save, as @fastify/session does', async () => {
    const { request } = await serve({ saveUninitialized: false, cookie: { domain: 'example.test' } }, routes, {
      cookiePlugin,
    })
    const answer = await request('/read', { https: true, cookie: 'sessionId=unknown.signature' })
    expect(answer.setCookie).toEqual([
      'sessionId=; Max-Age=0; Domain=example.test; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax',
    ])
  })

  it('outside cookie.path the session is an empty object and nothing is sent', async () => {
    const { request } = await serve(
      { cookie: { path: '/app' } },
      (app) => {
        app.get('/app/in', async (request) => ({ id: typeof request.session.sessionId }))
        app.get('/application', async (request) => ({ keys: Object.keys(request.session) }))
      },
      { cookiePlugin },
    )
    expect((await request('/app/in', { https: true })).body).toEqual({ id: 'string' })
    const outside = await request('/application', { https: true })
    expect(outside.body).toEqual({ keys: [] })
    expect(outside.setCookie).toEqual([])
  })
})

describe('coexistence with @fastify/cookie', () => {
  it("leaves its decorators and parsing alone and keeps the app's own cookies next to the session's", async () => {
    const { request } = await serve(
      {},
      (app) => {
        app.get('/both', async (request, reply) => {
          reply.setCookie('theme', 'dark', { path: '/' })
          request.session.set('seen', true)
          return { parsed: request.cookies.other ?? null, parse: typeof app.parseCookie }
        })
      },
      { cookiePlugin: true },
    )
    const answer = await request('/both', { https: true, cookie: 'other=1' })
    expect(answer.body).toEqual({ parsed: '1', parse: 'function' })
    expect(answer.all.some((line) => line.startsWith('theme=dark'))).toBe(true)
    expect(answer.setCookie).toHaveLength(1)
  })
})
