import { memoryStore } from '@sess/store-memory'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { LazySessionEnv, SessionEnv } from '../src/index.js'
import { lazySession, sealedCookie, session } from '../src/index.js'

const SECRET = 'hono-test-secret-0123456789abcdef-xyz'
const cookieOf = (res: Response) => res.headers.getSetCookie()[0]?.split(';')[0] ?? ''

describe('session()', () => {
  it('resolves the secret per request from the bindings (Workers c.env) and keeps working across requests', async () => {
    const store = memoryStore()
    const app = new Hono<SessionEnv<{ n: number }> & { Bindings: { SESSION_SECRET: string } }>()
    app.use(session<{ n: number }>({ secret: (c) => (c.env as { SESSION_SECRET: string }).SESSION_SECRET, store }))
    app.get('/', (c) => {
      const s = c.get('session')
      s.set('n', (s.get('n') ?? 0) + 1)
      return c.text(String(s.get('n')))
    })
    const env = { SESSION_SECRET: SECRET }
    const first = await app.request('/', {}, env)
    const second = await app.request('/', { headers: { cookie: cookieOf(first) } }, env)
    expect(await second.text()).toBe('2')
    // A different secret in the bindings does not accept the old cookie.
    const other = await app.request(
      '/',
      { headers: { cookie: cookieOf(first) } },
      { SESSION_SECRET: `${SECRET}-rotated` },
    )
    expect(await other.text()).toBe('1')
  })
  it('store: sealedCookie() keeps the whole session in the encrypted cookie, with the secret from the bindings', async () => {
    const app = new Hono<SessionEnv<{ user: string }> & { Bindings: { SESSION_SECRET: string } }>()
    app.use(session({ secret: (c) => (c.env as { SESSION_SECRET: string }).SESSION_SECRET, store: sealedCookie() }))
    app.post('/login', (c) => (c.get('session').set('user', 'ada'), c.text('ok')))
    app.get('/me', (c) => c.text(c.get('session').get('user') ?? 'nobody'))
    const env = { SESSION_SECRET: SECRET }
    const login = await app.request('/login', { method: 'POST' }, env)
    const cookie = cookieOf(login)
    // Neither the data nor anything readable: a seal, not a signed id.
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{60,}$/)
    expect(atob(cookie.slice(4).replace(/-/g, '+').replace(/_/g, '/'))).not.toContain('ada')
    expect(await (await app.request('/me', { headers: { cookie } }, env)).text()).toBe('ada')
    // A fresh app (another isolate) with the same secret opens it too: nothing was kept on the server.
    const other = new Hono<SessionEnv<{ user: string }>>()
    other.use(session({ secret: SECRET, store: sealedCookie() }))
    other.get('/me', (c) => c.text(c.get('session').get('user') ?? 'nobody'))
    expect(await (await other.request('/me', { headers: { cookie } })).text()).toBe('ada')
  })
  it('rejects a bad static configuration when the middleware is created', () => {
    expect(() => session({ secret: 'short', store: memoryStore() })).toThrow(
      expect.objectContaining({ code: 'SECRET_TOO_SHORT' }),
    )
  })
  it('marks the cookie Secure for https requests, and behind a trusted proxy', async () => {
    const app = new Hono<SessionEnv<{ n: number }>>()
    app.use(session<{ n: number }>({ secret: SECRET, store: memoryStore(), trustProxy: true }))
    app.get('/', (c) => (c.get('session').set('n', 1), c.text('ok')))
    expect((await app.request('https://example.com/')).headers.get('set-cookie')).toContain('; Secure')
    const proxied = await app.request('http://internal/', { headers: { 'x-forwarded-proto': 'https' } })
    expect(proxied.headers.get('set-cookie')).toContain('; Secure')
    expect((await app.request('http://internal/')).headers.get('set-cookie')).not.toContain('Secure')
  })
})

describe('Set-Cookie on the finished response', () => {
  it('is added to a response whose headers are immutable (e.g. a redirect or a fetch() result)', async () => {
    const app = new Hono<SessionEnv<{ n: number }>>()
    app.use(session<{ n: number }>({ secret: SECRET, store: memoryStore() }))
    app.get('/', (c) => {
      c.get('session').set('n', 1)
      return Response.redirect('http://example.com/next', 302)
    })
    const res = await app.request('/')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('http://example.com/next')
    expect(res.headers.getSetCookie()).toHaveLength(1)
  })
  it("keeps the app's own Set-Cookie headers next to the session's", async () => {
    const app = new Hono<SessionEnv<{ n: number }>>()
    app.use(session<{ n: number }>({ secret: SECRET, store: memoryStore() }))
    app.get('/', (c) => {
      c.get('session').set('n', 1)
      c.header('Set-Cookie', 'app=1; Path=/', { append: true })
      return c.text('ok')
    })
    const cookies = (await app.request('/')).headers.getSetCookie()
    expect(cookies.map((v) => v.split('=')[0])).toEqual(['app', 'sid'])
  })
})

describe('lazySession()', () => {
  it('does not read the store for routes that never ask for the session', async () => {
    const store = memoryStore()
    let reads = 0
    const get = store.get.bind(store)
    const getAndTouch = store.getAndTouch?.bind(store)
    store.get = (id) => (reads++, get(id))
    if (getAndTouch) store.getAndTouch = (id, p) => (reads++, getAndTouch(id, p))
    const app = new Hono<LazySessionEnv<{ n: number }>>()
    app.use(lazySession<{ n: number }>({ secret: SECRET, store }))
    app.get('/static', (c) => c.text('static'))
    app.get('/count', async (c) => {
      const s = await c.get('getSession')()
      s.set('n', (s.get('n') ?? 0) + 1)
      return c.text(String(s.get('n')))
    })
    const first = await app.request('/count')
    const cookie = cookieOf(first)
    expect(reads).toBe(0)
    const untouched = await app.request('/static', { headers: { cookie } })
    expect(untouched.headers.get('set-cookie')).toBeNull()
    expect(reads).toBe(0)
    expect(await (await app.request('/count', { headers: { cookie } })).text()).toBe('2')
    expect(reads).toBe(1)
  })
})
