import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import { memoryStore } from '@sess/store-memory'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import type { FastifySessionOptions } from '../src/index.js'
import { sessionPlugin } from '../src/index.js'

declare module '@sess/core' {
  interface SessionData {
    [key: string]: unknown
  }
}

const SECRET = 'fastify-test-secret-0123456789abcdef'
const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

async function appWith(options: Partial<FastifySessionOptions> = {}, before?: (app: FastifyInstance) => Promise<void>) {
  const app = Fastify({ trustProxy: true })
  apps.push(app)
  if (before) await before(app)
  const store = options.store ?? memoryStore()
  await app.register(sessionPlugin, { secret: SECRET, store, ...options })
  app.get('/count', async (request) => {
    request.session.views = ((request.session.views as number | undefined) ?? 0) + 1
    return { views: request.session.views, id: request.session.sessionId }
  })
  app.post('/login', async (request) => {
    await request.session.regenerate(['cart'])
    request.session.set('user', 'ada')
    return { cart: request.session.cart ?? null, views: request.session.views ?? null }
  })
  app.post('/remember', async (request) => {
    request.session.options({ maxAge: 30 * 86_400_000 })
    request.session.set('remember', true)
    return { maxAge: request.session.cookie.maxAge }
  })
  app.post('/cart', async (request) => {
    request.session.cart = ['apple']
    return 'ok'
  })
  return { app, store }
}

const cookieOf = (res: { headers: Record<string, unknown> }) => {
  const raw = res.headers['set-cookie']
  const first = Array.isArray(raw) ? raw[0] : raw
  return typeof first === 'string' ? first.split(';')[0] : undefined
}

describe('sessionPlugin', () => {
  it('exposes data as properties and sessionId, counting across requests', async () => {
    const { app } = await appWith()
    const first = await app.inject({ url: '/count' })
    const cookie = cookieOf(first) as string
    expect(cookie).toMatch(/^sessionId=[A-Za-z0-9_-]{32}\./)
    const second = await app.inject({ url: '/count', headers: { cookie } })
    expect(second.json()).toEqual({ views: 2, id: first.json().id })
  })
  it('regenerate(ignoreFields) keeps only the listed fields under a new id', async () => {
    const { app } = await appWith()
    const first = await app.inject({ url: '/count' })
    const cookie = cookieOf(first) as string
    await app.inject({ method: 'POST', url: '/cart', headers: { cookie } })
    const login = await app.inject({ method: 'POST', url: '/login', headers: { cookie } })
    expect(login.json()).toEqual({ cart: ['apple'], views: null })
    const after = await app.inject({ url: '/count', headers: { cookie } })
    expect(after.json().views).toBe(1)
  })
  it('options({ maxAge }) takes milliseconds, as @fastify/session does', async () => {
    const { app } = await appWith()
    const res = await app.inject({ method: 'POST', url: '/remember' })
    expect(res.json()).toEqual({ maxAge: 30 * 86_400_000 })
    expect(res.headers['set-cookie']).toContain(`Max-Age=${30 * 86_400};`)
  })
  it('cookie.maxAge (ms) makes a persistent cookie; without it the cookie lasts the browser session', async () => {
    const persistent = await appWith({ cookie: { maxAge: 60_000 } })
    expect((await persistent.app.inject({ url: '/count' })).headers['set-cookie']).toContain('Max-Age=60;')
    const browser = await appWith()
    expect((await browser.app.inject({ url: '/count' })).headers['set-cookie']).not.toContain('Max-Age')
  })
  it('gives no session to requests outside cookie.path', async () => {
    const { app } = await appWith({ cookie: { path: '/app' } })
    app.get('/app/x', async (request) => ({ has: request.session !== null }))
    app.get('/other', async (request) => ({ has: request.session !== null }))
    expect((await app.inject({ url: '/app/x' })).json()).toEqual({ has: true })
    expect((await app.inject({ url: '/other' })).json()).toEqual({ has: false })
  })
  it('marks the cookie Secure for HTTPS behind a trusted proxy', async () => {
    const { app } = await appWith()
    const res = await app.inject({ url: '/count', headers: { 'x-forwarded-proto': 'https' } })
    expect(res.headers['set-cookie']).toContain('; Secure')
    expect((await app.inject({ url: '/count' })).headers['set-cookie']).not.toContain('Secure')
  })
  it('works with @fastify/cookie registered, keeping its cookies', async () => {
    const { app } = await appWith({}, async (a) => {
      await a.register(fastifyCookie)
    })
    app.get('/both', async (request, reply) => {
      reply.setCookie('theme', 'dark', { path: '/' })
      request.session.set('x', 1)
      return 'ok'
    })
    const res = await app.inject({ url: '/both' })
    const cookies = res.headers['set-cookie'] as string[]
    expect(cookies.some((c) => c.startsWith('theme=dark'))).toBe(true)
    expect(cookies.some((c) => c.startsWith('sessionId='))).toBe(true)
  })
  it('rejects register with a SessionConfigError for invalid options', async () => {
    const app = Fastify()
    apps.push(app)
    await expect(
      app.register(sessionPlugin, { secret: 'too short', store: memoryStore() }).ready(),
    ).rejects.toMatchObject({
      code: 'SECRET_TOO_SHORT',
    })
  })
})

describe('migrating from @fastify/session', () => {
  it('accepts a cookie issued by @fastify/session with the same secret', async () => {
    // 1. The real @fastify/session issues a cookie.
    const legacy = Fastify()
    apps.push(legacy)
    await legacy.register(fastifyCookie)
    await legacy.register(fastifySession, { secret: SECRET, cookie: { secure: false } })
    legacy.get('/', async (request) => {
      request.session.set('views' as never, 5 as never)
      return { id: request.session.sessionId }
    })
    const issued = await legacy.inject({ url: '/' })
    const cookie = cookieOf(issued) as string
    const legacyId = issued.json().id as string
    expect(cookie.startsWith(`sessionId=${encodeURIComponent(legacyId)}.`)).toBe(true)

    // 2. sess, same secret and cookie name, with that session's data in its store, reads it.
    const store = memoryStore()
    const now = Date.now()
    await store.set(legacyId, { data: { views: 5 }, createdAt: now, expiresAt: now + 60_000, version: 1 }, 60)
    const { app } = await appWith({ store })
    const res = await app.inject({ url: '/count', headers: { cookie } })
    expect(res.json()).toEqual({ views: 6, id: legacyId })
  })
})
