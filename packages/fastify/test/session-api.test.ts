import { createHmac } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { eachCookieSetup, SECRET, serve } from './serve.js'

const sign = (value: string, secret: string, algorithm = 'sha256') =>
  `${value}.${createHmac(algorithm, secret).update(value).digest('base64').replace(/=+$/, '')}`
const decoded = (cookie: string | undefined) => decodeURIComponent((cookie ?? '').split('=').slice(1).join('='))

describe.each(eachCookieSetup)('request.session, %s', (_, cookiePlugin) => {
  it('destroy, regenerate, reload and save call their callbacks and resolve their promises', async () => {
    const seen: string[] = []
    const { request } = await serve(
      {},
      (app) => {
        app.get('/callbacks', (request, reply) => {
          const session = request.session
          session.set('a', 1)
          session.save((err) => {
            seen.push(`save ${err ?? 'ok'}`)
            session.reload((err) => {
              seen.push(`reload ${err ?? 'ok'} a=${session.get('a')}`)
              session.regenerate((err) => {
                seen.push(`regenerate ${err ?? 'ok'}`)
                session.destroy((err) => {
                  seen.push(`destroy ${err ?? 'ok'} session=${String(request.session)}`)
                  reply.send({ seen })
                })
              })
            })
          })
        })
        app.get('/promises', async (request) => {
          const session = request.session
          session.set('a', 1)
          await session.save()
          await session.reload()
          const a = session.get('a')
          await session.regenerate()
          await session.destroy()
          return { a, session: request.session }
        })
      },
      { cookiePlugin },
    )
    expect((await request('/callbacks', { https: true })).body).toEqual({
      seen: ['save ok', 'reload ok a=1', 'regenerate ok', 'destroy ok session=null'],
    })
    expect((await request('/promises', { https: true })).body).toEqual({ a: 1, session: null })
  })

  it('regenerate(ignoreFields) keeps the listed keys under a new id and drops the rest', async () => {
    const { request } = await serve(
      {},
      (app) => {
        app.get('/fill', async (request) => {
          request.session.cart = ['apple']
          request.session.secret = 'x'
          return { id: request.session.sessionId }
        })
        app.get('/login', async (request) => {
          await request.session.regenerate(['cart'])
          return { id: request.session.sessionId, cart: request.session.cart, secret: request.session.secret ?? null }
        })
        app.get('/read', async (request) => ({ cart: request.session.cart ?? null }))
      },
      { cookiePlugin },
    )
    const filled = await request('/fill', { https: true })
    const login = await request('/login', { https: true, cookie: filled.cookie })
    expect(login.body).toMatchObject({ cart: ['apple'], secret: null })
    expect(login.body.id).not.toBe(filled.body.id)
    expect((await request('/read', { https: true, cookie: login.cookie })).body).toEqual({ cart: ['apple'] })
    expect((await request('/read', { https: true, cookie: filled.cookie })).body).toEqual({ cart: null })
  })

  it('isModified and isSaved; an explicit save is the only write, and the response carries the cookie', async () => {
    const { request } = await serve(
      { saveUninitialized: false, rolling: false },
      (app) => {
        app.get('/', async (request) => {
          const before = request.session.isModified()
          request.session.user = 'ada'
          const modified = request.session.isModified()
          await request.session.save()
          return { before, modified, after: request.session.isModified(), saved: request.session.isSaved() }
        })
      },
      { cookiePlugin },
    )
    const answer = await request('/', { https: true })
    expect(answer.body).toEqual({ before: false, modified: true, after: false, saved: true })
    expect(answer.setCookie).toHaveLength(1)
  })

  it('request.session.cookie: originalMaxAge and maxAge in ms, expires, touch() and options() per response', async () => {
    const { request } = await serve(
      { cookie: { maxAge: 60_000 } },
      (app) => {
        app.get('/view', async (request) => {
          const c = request.session.cookie
          return { originalMaxAge: c.originalMaxAge, maxAge: c.maxAge, expires: c.expires?.getTime() ?? null }
        })
        app.get('/touch', async (request) => {
          const before = request.session.cookie.expires?.getTime() ?? 0
          // Timers may fire a millisecond early by Date.now()'s clock: wait well past what is asserted.
          await new Promise((resolve) => setTimeout(resolve, 40))
          request.session.touch()
          return { moved: (request.session.cookie.expires?.getTime() ?? 0) - before }
        })
        app.get('/override', async (request) => {
          request.session.options({ httpOnly: false, sameSite: 'Strict' })
          return 'ok'
        })
      },
      { cookiePlugin },
    )
    const started = Date.now()
    const view = await request('/view', { https: true })
    expect(view.body.originalMaxAge).toBe(60_000)
    expect(view.body.maxAge).toBeGreaterThan(59_000)
    expect(view.body.maxAge).toBeLessThanOrEqual(60_000)
    expect(view.body.expires).toBeGreaterThanOrEqual(started + 60_000)
    expect((await request('/touch', { https: true })).body.moved).toBeGreaterThanOrEqual(30)
    const override = await request('/override', { https: true })
    expect(override.setCookie[0]).toMatch(/; Secure; SameSite=Strict$/)
    expect(override.setCookie[0]).not.toContain('HttpOnly')
    expect((await request('/view', { https: true })).setCookie[0]).toContain('HttpOnly')
  })

  it('a per-session maxAge ("remember me") is kept on later requests, and sub-second durations work', async () => {
    const { request } = await serve(
      { cookie: { maxAge: 250 } },
      (app) => {
        app.get('/remember', async (request) => {
          request.session.options({ maxAge: 7 * 86_400_000 })
          return 'ok'
        })
        app.get('/view', async (request) => ({ originalMaxAge: request.session.cookie.originalMaxAge }))
      },
      { cookiePlugin },
    )
    const short = await request('/view', { https: true })
    expect(short.body).toEqual({ originalMaxAge: 250 })
    const remembered = await request('/remember', { https: true })
    const week = Date.parse(/Expires=([^;]+)/.exec(remembered.setCookie[0] ?? '')?.[1] ?? '') - Date.now()
    expect(week).toBeGreaterThan(7 * 86_400_000 - 5_000)
    await new Promise((resolve) => setTimeout(resolve, 400))
    // Past the plugin's 250 ms, the remembered session is still there and keeps its week.
    expect((await request('/view', { https: true, cookie: remembered.cookie })).body).toEqual({
      originalMaxAge: 7 * 86_400_000,
    })
  })

  it('cookie.expires sets a fixed expiry; maxAge wins over it', async () => {
    const expires = new Date(Date.now() + 86_400_000)
    const routes = (app: FastifyInstance) => app.get('/', async (request) => ((request.session.x = 1), 'ok'))
    const fixed = await serve({ cookie: { expires } }, routes, { cookiePlugin })
    expect((await fixed.request('/', { https: true })).setCookie[0]).toContain(`; Expires=${expires.toUTCString()};`)
    const both = await serve({ cookie: { expires, maxAge: 1000 } }, routes, { cookiePlugin })
    const line = (await both.request('/', { https: true })).setCookie[0] ?? ''
    expect(Date.parse(/Expires=([^;]+)/.exec(line)?.[1] ?? '')).toBeLessThan(Date.now() + 5_000)
  })

  it('encryptedSessionId, sessionStore, idGenerator (given the request) and fastify.decryptSession', async () => {
    const { request, app } = await serve(
      { idGenerator: (req) => `id-${req?.headers['x-tenant'] ?? 'none'}-${Math.random().toString(36).slice(2)}` },
      (app) => {
        app.get('/', async (request) => {
          request.session.n = 7
          return {
            id: request.session.sessionId,
            encrypted: request.session.encryptedSessionId,
            store: typeof request.sessionStore,
          }
        })
      },
      { cookiePlugin },
    )
    const first = await request('/', { https: true })
    expect(first.body.id).toMatch(/^id-none-/)
    expect(first.body.encrypted).toBe(sign(first.body.id, SECRET))
    expect(first.body.store).toBe('object')
    const target: { session?: { n?: unknown; sessionId?: string; cookie: { originalMaxAge: unknown } } } = {}
    await new Promise<void>((resolve, reject) =>
      app.decryptSession(first.body.encrypted, target, { maxAge: 5000 }, (err) => (err ? reject(err) : resolve())),
    )
    const decrypted = {
      n: target.session?.n,
      id: target.session?.sessionId,
      max: target.session?.cookie.originalMaxAge,
    }
    expect(decrypted).toEqual({ n: 7, id: first.body.id, max: 5000 })
  })

  it('fastify.decryptSession calls back before it returns when the store answers synchronously', async () => {
    const { request, app } = await serve(
      {},
      (app) =>
        app.get('/', async (request) => ((request.session.n = 3), { encrypted: request.session.encryptedSessionId })),
      { cookiePlugin },
    )
    const { encrypted } = (await request('/', { https: true })).body
    const order: string[] = []
    const target: { session?: { n?: unknown; cookie: { originalMaxAge: unknown } } } = {}
    app.decryptSession(encrypted, target, { maxAge: 9000 }, () => order.push(`called back n=${target.session?.n}`))
    order.push('returned')
    expect(order).toEqual(['called back n=3', 'returned'])
    expect(target.session?.cookie.originalMaxAge).toBe(9000)
    // An unknown or forged value gives a new session, still at once.
    const other: { session?: { n?: unknown; isNew?: unknown } } = {}
    let called = false
    app.decryptSession('forged.value', other, () => (called = true))
    expect(called).toBe(true)
    expect(other.session?.n).toBeUndefined()
  })
})

describe('secrets', () => {
  const routes = (app: FastifyInstance) => {
    app.get('/', async (request) => {
      request.session.n = ((request.session.n as number | undefined) ?? 0) + 1
      return { n: request.session.n }
    })
  }

  it('an array read live: a pushed secret verifies, a removed one stops verifying; the first signs', async () => {
    const secrets = ['first-secret-0123456789abcdef-0123']
    const { request } = await serve({ secret: secrets }, routes)
    const issued = await request('/', { https: true })
    secrets.unshift('rotated-in-0123456789abcdef-012345')
    const rotated = await request('/', { https: true, cookie: issued.cookie })
    expect(rotated.body).toEqual({ n: 2 })
    const id = decoded(issued.cookie).split('.')[0] as string
    expect(decoded(rotated.cookie)).toBe(sign(id, 'rotated-in-0123456789abcdef-012345'))
    secrets.pop()
    expect((await request('/', { https: true, cookie: issued.cookie })).body).toEqual({ n: 1 })
  })

  it("algorithm: 'sha512', and a custom signer object { sign, unsign }", async () => {
    const sha512 = await serve({ algorithm: 'sha512' }, routes)
    const issued = await sha512.request('/', { https: true })
    const id = decoded(issued.cookie).split('.')[0] as string
    expect(decoded(issued.cookie)).toBe(sign(id, SECRET, 'sha512'))
    const signer = {
      sign: (value: string) => `${value}.custom`,
      unsign: (signed: string) =>
        signed.endsWith('.custom')
          ? { valid: true, renew: false, value: signed.slice(0, -7) }
          : { valid: false, renew: false, value: null },
    }
    const custom = await serve({ secret: signer }, routes)
    const first = await custom.request('/', { https: true })
    expect(decoded(first.cookie)).toMatch(/^[\w-]{32}\.custom$/)
    expect((await custom.request('/', { https: true, cookie: first.cookie })).body).toEqual({ n: 2 })
  })

  it('reads a cookie issued by @fastify/session itself with the same secret (its format, no prefix)', async () => {
    const { default: Fastify } = await import('fastify')
    const { default: cookie } = await import('@fastify/cookie')
    const { default: peer } = await import('@fastify/session')
    const legacy = Fastify()
    await legacy.register(cookie)
    await legacy.register(peer, { secret: SECRET, cookie: { secure: false } })
    legacy.get('/', async (request) => {
      ;(request.session as unknown as { n: number }).n = 5
      return 'ok'
    })
    const issued = await legacy.inject({ url: '/' })
    await legacy.close()
    const store = new Map<string, unknown>()
    const id = String(issued.headers['set-cookie']).split('=')[1]?.split('.')[0] as string
    store.set(id, { n: 5, cookie: { originalMaxAge: null, expires: null } })
    const callbackStore = {
      get: (sid: string, cb: (e: unknown, v?: unknown) => void) => cb(null, store.get(sid)),
      set: (sid: string, v: unknown, cb: (e?: unknown) => void) => (store.set(sid, v), cb()),
      destroy: (sid: string, cb: (e?: unknown) => void) => (store.delete(sid), cb()),
    }
    const { request } = await serve({ store: callbackStore }, routes)
    const answer = await request('/', { https: true, cookie: String(issued.headers['set-cookie']).split(';')[0] })
    expect(answer.body).toEqual({ n: 6 })
  })
})

describe('log out everywhere', () => {
  it('setUser binds sessions; listUserSessions lists them; destroyUserSessions revokes all but this one', async () => {
    const { request } = await serve({}, (app) => {
      app.get('/login', async (request) => {
        await request.session.regenerate()
        request.session.setUser('ada')
        return 'ok'
      })
      app.get('/devices', async (request) => ({ count: (await request.session.listUserSessions()).length }))
      app.get('/elsewhere', async (request) => ({
        revoked: await request.session.destroyUserSessions({ exceptCurrent: true }),
      }))
      app.get('/who', async (request) => ({ user: request.session.core.userId ?? null }))
    })
    const laptop = await request('/login', { https: true })
    const phone = await request('/login', { https: true })
    expect((await request('/devices', { https: true, cookie: laptop.cookie })).body).toEqual({ count: 2 })
    expect((await request('/elsewhere', { https: true, cookie: laptop.cookie })).body).toEqual({ revoked: 1 })
    expect((await request('/who', { https: true, cookie: phone.cookie })).body).toEqual({ user: null })
    expect((await request('/who', { https: true, cookie: laptop.cookie })).body).toEqual({ user: 'ada' })
  })
})
