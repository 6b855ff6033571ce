import { inherits, inspect } from 'node:util'
import type { Store as CoreStore } from '@sess/core'
import { sealedCookie } from '@sess/core'
import { memoryStore } from '@sess/store-memory'
import express from 'express'
import type { ErrorRequestHandler, Express, Request } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import session from '../src/index.js'
import type { LegacyRecord, SessionOptions } from '../src/index.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve, setCookieOf } from './helpers.js'

type Data = Record<string, unknown>
const data = (req: Request): Data => req.session as unknown as Data

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

/** An app with the middleware, the given routes and an error handler answering 500 `{ code, message }`. */
async function start(options: Partial<SessionOptions>, routes: (app: Express) => void = common): Promise<Jar> {
  const app = express()
  app.use(session({ secret: SECRET, ...options }))
  routes(app)
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).json({ code: err.code, message: err.message })
  }
  app.use(onError)
  const served = await serve(app)
  running.push(served)
  return new Jar(served)
}

function common(app: Express): void {
  app.get('/views', (req, res) => {
    const s = data(req)
    s.views = ((s.views as number | undefined) ?? 0) + 1
    res.json({ views: s.views })
  })
  app.get('/read', (req, res) => {
    res.json({ id: req.session?.id, sessionID: req.sessionID, data: req.session ? { ...req.session } : null })
  })
  app.get('/untouched', (_req, res) => {
    res.send('ok')
  })
  app.post('/set', (req, res) => {
    Object.assign(data(req), req.query)
    res.json({ id: req.session.id })
  })
}

const json = async (response: Response): Promise<any> => {
  expect(response.status).toBeLessThan(300)
  return response.json()
}

/** An express-session store with callbacks only, counting calls, as third-party stores are written. */
class CallbackStore extends session.Store {
  readonly sessions = new Map<string, string>()
  readonly calls: string[] = []
  failing = false

  get(sid: string, cb: (err: unknown, value?: LegacyRecord | null) => void): void {
    this.calls.push('get')
    if (this.failing) return void setImmediate(cb, new Error('store down'))
    const raw = this.sessions.get(sid)
    setImmediate(cb, null, raw === undefined ? null : JSON.parse(raw))
  }
  set(sid: string, value: LegacyRecord, cb?: (err?: unknown) => void): void {
    this.calls.push('set')
    if (this.failing) return void setImmediate(() => cb?.(new Error('store down')))
    this.sessions.set(sid, JSON.stringify(value))
    setImmediate(() => cb?.())
  }
  destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.calls.push('destroy')
    this.sessions.delete(sid)
    setImmediate(() => cb?.())
  }
}

describe('options', () => {
  describe('name', () => {
    it("defaults to 'connect.sid' and can be changed", async () => {
      const jar = await start({})
      expect(setCookieOf(await jar.request('/views'))).toMatch(/^connect\.sid=s%3A/)
      const named = await start({ name: 'app.sid' })
      expect(setCookieOf(await named.request('/views'), 'app.sid')).toBeDefined()
    })
  })

  describe('secret', () => {
    it('accepts short secrets and an array whose old entries still verify, re-signing with the first', async () => {
      const store = memoryStore()
      const old = await start({ secret: 'old', store })
      await old.request('/views')
      const rotated = await start({ secret: ['new', 'old'], store })
      rotated.cookies.set('connect.sid', old.get('connect.sid') as string)
      const response = await rotated.request('/views')
      expect((await json(response)).views).toBe(2)
      expect(rotated.get('connect.sid')).not.toBe(old.get('connect.sid'))
      const renewed = await start({ secret: 'new', store })
      renewed.cookies.set('connect.sid', rotated.get('connect.sid') as string)
      expect((await json(await renewed.request('/views'))).views).toBe(3)
    })

    it('throws SessionConfigError at setup for an empty secret array', () => {
      expect(() => session({ secret: [] })).toThrow(expect.objectContaining({ code: 'SECRET_MISSING' }))
    })
  })

  describe('store', () => {
    it('uses a sess store, exposed as req.sessionStore', async () => {
      const store = memoryStore()
      let seen: unknown
      const jar = await start({ store }, (app) => {
        common(app)
        app.get('/store', (req, res) => {
          seen = req.sessionStore
          res.send('ok')
        })
      })
      await jar.request('/views')
      await jar.request('/store')
      expect(seen).toBe(store)
      expect(await store.count()).toBe(1)
    })

    it("keeps the whole session in a sealed cookie with @sess/core's store: sealedCookie()", async () => {
      const jar = await start({ store: sealedCookie() })
      expect((await json(await jar.request('/views'))).views).toBe(1)
      const sealed = jar.get('connect.sid') as string
      // A seal (base64url), not express-session's signed id ('s:' + id + '.' + signature).
      expect(sealed).toMatch(/^[A-Za-z0-9_-]{60,}$/)
      // Re-sealed on every change, although express-session's default cookie is a browser-session one.
      expect((await json(await jar.request('/views'))).views).toBe(2)
      expect(jar.get('connect.sid')).not.toBe(sealed)
      // Another server with the same secret and no shared state opens the cookie: the data is in it.
      const other = await start({ store: sealedCookie() })
      other.cookies.set('connect.sid', jar.get('connect.sid') as string)
      expect((await json(await other.request('/views'))).views).toBe(3)
    })

    it('uses an express-session store in its own record shape ({ cookie, ...data })', async () => {
      const store = new CallbackStore()
      const jar = await start({ store, cookie: { maxAge: 60_000 } })
      await jar.request('/views')
      await jar.request('/views')
      const [record] = [...store.sessions.values()].map((raw) => JSON.parse(raw))
      expect(record).toMatchObject({ views: 2, cookie: { originalMaxAge: 60_000, httpOnly: true, path: '/' } })
      expect(Date.parse(record.cookie.expires)).toBeGreaterThan(Date.now())
    })

    it('defaults to a MemoryStore', async () => {
      let seen: unknown
      const jar = await start({}, (app) => {
        common(app)
        app.get('/store', (req, res) => {
          seen = req.sessionStore
          res.send('ok')
        })
      })
      await jar.request('/store')
      expect(seen).toBeInstanceOf(session.MemoryStore)
    })

    it('passes a store error to next(err) instead of starting a new session', async () => {
      const store = new CallbackStore()
      const jar = await start({ store })
      await jar.request('/views')
      store.failing = true
      const response = await jar.request('/views')
      expect(response.status).toBe(500)
      // The store's own error, as express-session hands it on (apps and stores match on it).
      expect(await response.json()).toMatchObject({ message: 'store down' })
    })
  })

  describe('cookie', () => {
    it('defaults to a browser-session cookie: Path=/; HttpOnly; SameSite=Lax, no Max-Age, no Secure', async () => {
      const jar = await start({})
      const header = setCookieOf(await jar.request('/views')) as string
      expect(header).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/)
      expect(header).not.toMatch(/Max-Age|Expires|Secure/)
    })

    it('takes maxAge in milliseconds and reports it on req.session.cookie', async () => {
      const jar = await start({ cookie: { maxAge: 60_000 } }, (app) =>
        app.get('/cookie', (req, res) => {
          data(req).x = 1
          const { maxAge, originalMaxAge, expires, httpOnly, path } = req.session.cookie
          res.json({ maxAge, originalMaxAge, expires, httpOnly, path })
        }),
      )
      const response = await jar.request('/cookie')
      expect(setCookieOf(response)).toMatch(/Max-Age=60; Path=\/; Expires=.*; HttpOnly/)
      const cookie = await json(response)
      expect(cookie.originalMaxAge).toBe(60_000)
      expect(cookie.maxAge).toBeGreaterThan(59_000)
      expect(Date.parse(cookie.expires) - Date.now()).toBeGreaterThan(58_000)
      expect(cookie).toMatchObject({ httpOnly: true, path: '/' })
    })

    it('takes a fixed expires date', async () => {
      const jar = await start({ cookie: { expires: new Date(Date.now() + 3_600_000) } })
      expect(setCookieOf(await jar.request('/views'))).toMatch(/Max-Age=(3599|3600);/)
    })

    it('sets domain, httpOnly false, sameSite true/false/none, partitioned and priority', async () => {
      const header = async (cookie: SessionOptions['cookie']): Promise<string> =>
        setCookieOf(await (await start({ cookie })).request('/views')) as string
      expect(await header({ domain: 'example.com', httpOnly: false })).toMatch(/Domain=example\.com; Path=\/; SameSite/)
      expect(await header({ sameSite: true })).toMatch(/SameSite=Strict$/)
      expect(await header({ sameSite: false })).not.toMatch(/SameSite/)
      expect(await header({ sameSite: 'strict', priority: 'high' })).toMatch(/Priority=High; SameSite=Strict$/)
      // Secure is required by SameSite=None and Partitioned; over plain HTTP with secure: true, no cookie is sent.
      const secure = await start({ cookie: { sameSite: 'none', secure: true, partitioned: true }, proxy: true })
      const https = { headers: { 'x-forwarded-proto': 'https' } }
      expect(setCookieOf(await secure.request('/views', https))).toMatch(/Secure; Partitioned; SameSite=None$/)
    })

    it("sameSite 'auto' is None over HTTPS and Lax over HTTP", async () => {
      const jar = await start({ cookie: { sameSite: 'auto', secure: 'auto' }, proxy: true })
      expect(setCookieOf(await jar.request('/views'))).toMatch(/SameSite=Lax$/)
      const https = { headers: { 'x-forwarded-proto': 'https' } }
      expect(setCookieOf(await new Jar(jar.served).request('/views', https))).toMatch(/Secure; SameSite=None$/)
    })

    it('sends no cookie for secure: true over plain HTTP, but still saves the session', async () => {
      const store = memoryStore()
      const jar = await start({ store, cookie: { secure: true } })
      expect(setCookieOf(await jar.request('/views'))).toBeUndefined()
      expect(await store.count()).toBe(1)
    })

    it("secure: 'auto' follows Express's trust proxy", async () => {
      const jar = await start({ cookie: { secure: 'auto' } }, (app) => {
        app.set('trust proxy', 1)
        common(app)
      })
      expect(setCookieOf(await jar.request('/views'))).not.toMatch(/Secure/)
      const https = { headers: { 'x-forwarded-proto': 'https' } }
      expect(setCookieOf(await new Jar(jar.served).request('/views', https))).toMatch(/; Secure/)
    })

    it("secure: 'auto' asks an app's own req.secure, also without X-Forwarded-Proto", async () => {
      // sess answers Express's own req.secure itself when no X-Forwarded-Proto came (its getter can only say the
      // socket's protocol then); an app that defines secure or protocol on its request prototype is asked instead.
      const jar = await start({ cookie: { secure: 'auto' } }, (app) => {
        Object.defineProperty(app.request, 'secure', { configurable: true, get: () => true })
        common(app)
      })
      expect(setCookieOf(await jar.request('/views'))).toMatch(/; Secure/)
      const byProtocol = await start({ cookie: { secure: 'auto' } }, (app) => {
        Object.defineProperty(app.request, 'protocol', { configurable: true, get: () => 'https' })
        common(app)
      })
      expect(setCookieOf(await byProtocol.request('/views'))).toMatch(/; Secure/)
      // An own req.secure set by a middleware that runs before the session's.
      const app = express()
      app.use((req, _res, next) => {
        Object.defineProperty(req, 'secure', { value: true })
        next()
      })
      app.use(session({ secret: SECRET, cookie: { secure: 'auto' } }))
      common(app)
      const served = await serve(app)
      running.push(served)
      expect(setCookieOf(await new Jar(served).request('/views'))).toMatch(/; Secure/)
    })

    it('accepts a function of the request', async () => {
      const jar = await start({
        cookie: (req) => ({ maxAge: req.headers['x-remember'] ? 3_600_000 : null }),
      })
      expect(setCookieOf(await jar.request('/views'))).not.toMatch(/Max-Age/)
      const remembered = await jar.request('/views', { headers: { 'x-remember': '1' } })
      expect(setCookieOf(remembered)).toMatch(/Max-Age=3600/)
    })

    it('gives no session to requests outside cookie.path', async () => {
      const jar = await start({ cookie: { path: '/app' } }, (app) => {
        app.get('/app/read', (req, res) => res.json({ has: req.session !== undefined }))
        app.get('/other', (req, res) => res.json({ has: req.session !== undefined }))
      })
      expect(await json(await jar.request('/app/read'))).toEqual({ has: true })
      expect(await json(await jar.request('/other'))).toEqual({ has: false })
    })
  })

  describe('genid', () => {
    it('generates ids for new and regenerated sessions from the request', async () => {
      let n = 0
      const jar = await start({ genid: (req) => `${req.headers['x-tenant']}-${++n}` }, (app) => {
        common(app)
        app.post('/regenerate', (req, res) => req.session.regenerate(() => res.json({ id: req.session.id })))
      })
      const headers = { 'x-tenant': 'acme' }
      expect((await json(await jar.request('/set?a=1', { method: 'POST', headers }))).id).toBe('acme-1')
      expect((await json(await jar.request('/regenerate', { method: 'POST', headers }))).id).toBe('acme-2')
    })
  })

  describe('proxy', () => {
    it('true trusts X-Forwarded-Proto, false never does', async () => {
      const https = { headers: { 'x-forwarded-proto': 'https, http' } }
      const trusting = await start({ proxy: true, cookie: { secure: true } })
      expect(setCookieOf(await trusting.request('/views', https))).toMatch(/Secure/)
      const distrusting = await start({ proxy: false, cookie: { secure: true } }, (app) => {
        app.set('trust proxy', true)
        common(app)
      })
      expect(setCookieOf(await distrusting.request('/views', https))).toBeUndefined()
    })
  })

  describe('resave', () => {
    it('refreshes the expiry of unmodified sessions on every request by default', async () => {
      const store = new CallbackStore()
      const jar = await start({ store })
      await jar.request('/views')
      store.calls.length = 0
      await jar.request('/read')
      expect(store.calls).toEqual(['get', 'get', 'set'])
    })

    it('false leaves unmodified sessions alone', async () => {
      const store = new CallbackStore()
      const jar = await start({ store, resave: false })
      await jar.request('/views')
      store.calls.length = 0
      await jar.request('/read')
      expect(store.calls).toEqual(['get'])
    })
  })

  describe('rolling', () => {
    it('sends the cookie on every response of an existing session', async () => {
      const plain = await start({ cookie: { maxAge: 60_000 }, resave: false })
      await plain.request('/views')
      expect(setCookieOf(await plain.request('/read'))).toBeUndefined()
      const rolling = await start({ cookie: { maxAge: 60_000 }, resave: false, rolling: true })
      await rolling.request('/views')
      expect(setCookieOf(await rolling.request('/read'))).toMatch(/Max-Age=60/)
    })
  })

  describe('saveUninitialized', () => {
    it('stores and sends a cookie for untouched new sessions by default', async () => {
      const store = memoryStore()
      const jar = await start({ store })
      expect(setCookieOf(await jar.request('/untouched'))).toBeDefined()
      expect(await store.count()).toBe(1)
    })

    it('false stores nothing and sends no cookie until the session is modified', async () => {
      const store = memoryStore()
      const jar = await start({ store, saveUninitialized: false })
      expect(setCookieOf(await jar.request('/untouched'))).toBeUndefined()
      expect(setCookieOf(await jar.request('/read'))).toBeUndefined()
      expect(await store.count()).toBe(0)
      expect(setCookieOf(await jar.request('/views'))).toBeDefined()
    })
  })

  describe('unset', () => {
    const routes = (app: Express): void => {
      common(app)
      app.get('/unset', (req, res) => {
        data(req).changed = true
        ;(req as { session?: unknown }).session = null
        res.send('ok')
      })
    }

    it("'keep' (default) keeps the stored session and drops this request's changes", async () => {
      const store = memoryStore()
      const jar = await start({ store }, routes)
      await jar.request('/views')
      await jar.request('/unset')
      expect((await json(await jar.request('/read'))).data).toMatchObject({ views: 1 })
      expect((await json(await jar.request('/read'))).data.changed).toBeUndefined()
    })

    it('rejects other values at setup', () => {
      expect(() => session({ secret: SECRET, unset: 'drop' as 'keep' })).toThrow(
        expect.objectContaining({ code: 'OPTION_INVALID' }),
      )
    })

    it("'destroy' destroys the session", async () => {
      const store = memoryStore()
      const jar = await start({ store, unset: 'destroy' }, routes)
      await jar.request('/views')
      await jar.request('/unset')
      expect(await store.count()).toBe(0)
    })
  })
})

describe('req.session', () => {
  it('holds data as plain properties, nested objects included', async () => {
    const jar = await start({}, (app) => {
      common(app)
      app.get('/cart', (req, res) => {
        const s = data(req) as { cart?: { items: string[] } }
        s.cart ??= { items: [] }
        s.cart.items.push(String(req.query.item))
        res.json(s.cart)
      })
    })
    expect((await json(await jar.request('/views'))).views).toBe(1)
    expect((await json(await jar.request('/views'))).views).toBe(2)
    await jar.request('/cart?item=apple')
    expect(await json(await jar.request('/cart?item=pear'))).toEqual({ items: ['apple', 'pear'] })
    const read = await json(await jar.request('/read'))
    expect(read.data).toMatchObject({ views: 2, cart: { items: ['apple', 'pear'] } })
    expect(Object.keys(read.data)).toEqual(['cookie', 'views', 'cart'])
    expect(read.id).toBe(read.sessionID)
  })

  it('shows its data when logged', async () => {
    let shown = ''
    const jar = await start({}, (app) =>
      app.get('/', (req, res) => {
        data(req).views = 7
        shown = inspect(req.session)
        res.send('ok')
      }),
    )
    await jar.request('/')
    expect(shown).toMatch(/^Session \{\s+cookie: \{.*originalMaxAge: null.*\},\s+views: 7\s+\}$/s)
  })

  it('is a session.Session whose cookie is a session.Cookie', async () => {
    let checks: unknown[] = []
    const jar = await start({}, (app) =>
      app.get('/', (req, res) => {
        checks = [req.session instanceof session.Session, req.session.cookie instanceof session.Cookie]
        res.send('ok')
      }),
    )
    await jar.request('/')
    expect(checks).toEqual([true, true])
  })

  it('cookie.maxAge set per request makes a "remember me" cookie that lasts', async () => {
    const jar = await start({ resave: false }, (app) => {
      common(app)
      app.post('/login', (req, res) => {
        data(req).user = 'alice'
        if (req.query.remember) req.session.cookie.maxAge = 30 * 86_400_000
        res.send('ok')
      })
    })
    const response = await jar.request('/login?remember=1', { method: 'POST' })
    expect(setCookieOf(response)).toMatch(/Max-Age=2592000/)
    const read = await jar.request('/views')
    expect(setCookieOf(read)).toMatch(/Max-Age=259\d{4}/)
  })

  describe('regenerate', () => {
    it('takes a callback, or returns a Promise, and can keep the data', async () => {
      const jar = await start({}, (app) => {
        common(app)
        app.post('/cb', (req, res, next) => {
          const before = req.sessionID
          req.session.regenerate((err) => {
            if (err) return next(err)
            data(req).fresh = true
            res.json({ before, after: req.sessionID, data: { ...req.session } })
          })
        })
        app.post('/promise', async (req, res) => {
          const before = req.session.id
          await req.session.regenerate({ keepData: true })
          res.json({ before, after: req.session.id, data: { ...req.session } })
        })
      })
      await jar.request('/views')
      const cb = await json(await jar.request('/cb', { method: 'POST' }))
      expect(cb.after).not.toBe(cb.before)
      expect(cb.data).toEqual({ cookie: expect.any(Object), fresh: true })
      const kept = await json(await jar.request('/promise', { method: 'POST' }))
      expect(kept.after).not.toBe(kept.before)
      expect(kept.data.fresh).toBe(true)
      expect((await json(await jar.request('/read'))).data.fresh).toBe(true)
    })
  })

  describe('destroy', () => {
    it('removes the session, unsets req.session and expires the cookie', async () => {
      const store = memoryStore()
      let after: unknown = 'unset'
      const jar = await start({ store }, (app) => {
        common(app)
        app.get('/destroy', (req, res, next) => {
          req.session.destroy((err) => {
            if (err) return next(err)
            after = req.session
            res.clearCookie('connect.sid')
            res.send('Session destroyed')
          })
        })
        app.get('/destroy-promise', async (req, res) => {
          await req.session.destroy()
          res.send('ok')
        })
      })
      await jar.request('/views')
      const response = await jar.request('/destroy')
      expect(after).toBeUndefined()
      expect(await store.count()).toBe(0)
      expect(response.headers.getSetCookie().filter((c) => c.startsWith('connect.sid=;'))).toHaveLength(2)
      await jar.request('/views')
      expect(setCookieOf(await jar.request('/destroy-promise'))).toMatch(/Max-Age=0/)
    })
  })

  describe('reload', () => {
    it("picks up another request's changes, and fails with SESSION_MISSING once the session is gone", async () => {
      let release: () => void = () => {}
      const gate = new Promise<void>((resolve) => (release = resolve))
      const jar = await start({ resave: false }, (app) => {
        common(app)
        app.get('/wait-reload', async (req, res) => {
          await gate
          req.session.reload((err) => res.json({ err: err?.code, views: data(req).views }))
        })
        app.get('/reload', async (req, res) => {
          try {
            await req.session.reload()
            res.json({ ok: true })
          } catch (err) {
            res.json({ code: (err as { code: string }).code })
          }
        })
        app.get('/destroy', (req, res) => req.session.destroy(() => res.send('ok')))
      })
      await jar.request('/views')
      const waiting = jar.request('/wait-reload')
      await jar.request('/views')
      release()
      expect(await json(await waiting)).toEqual({ views: 2 })
      const cookie = jar.header()
      await jar.request('/destroy')
      const stale = await json(await jar.request('/reload', { headers: { cookie } }))
      expect(stale).toEqual({ code: 'SESSION_MISSING' })
    })

    it('rejects with SESSION_MISSING when the record disappeared during the request', async () => {
      const store = memoryStore()
      const jar = await start({ store, resave: false }, (app) => {
        common(app)
        app.get('/vanish', async (req, res) => {
          await store.destroy(req.sessionID)
          req.session.reload((err) => res.json({ code: err?.code }))
        })
      })
      await jar.request('/views')
      expect(await json(await jar.request('/vanish'))).toEqual({ code: 'SESSION_MISSING' })
    })
  })

  describe('save', () => {
    it('writes before the callback and the redirect, and returns a Promise without one', async () => {
      const store = memoryStore()
      const jar = await start({ store, saveUninitialized: false }, (app) => {
        common(app)
        app.post('/login', (req, res, next) => {
          data(req).user = 'alice'
          req.session.save((err) => {
            if (err) return next(err)
            Promise.resolve(store.count()).then((n) => res.redirect(`/read?stored=${n}`))
          })
        })
        app.post('/promise', async (req, res) => {
          data(req).more = true
          await req.session.save()
          res.json({ stored: (await store.get(req.sessionID))?.data })
        })
      })
      const response = await jar.request('/login', { method: 'POST' })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/read?stored=1')
      expect((await json(await jar.request('/read'))).data.user).toBe('alice')
      expect((await json(await jar.request('/promise', { method: 'POST' }))).stored).toEqual({
        user: 'alice',
        more: true,
      })
    })
  })

  describe('touch and resetMaxAge', () => {
    it('are synchronous and chainable, and refresh the expiry at the end of the request', async () => {
      const store = new CallbackStore()
      const jar = await start({ store, resave: false, cookie: { maxAge: 60_000 } }, (app) => {
        common(app)
        app.get('/touch', (req, res) => {
          const same = req.session.touch() === req.session && req.session.resetMaxAge() === req.session
          res.json({ same })
        })
      })
      await jar.request('/views')
      store.calls.length = 0
      const response = await jar.request('/touch')
      expect(await json(response)).toEqual({ same: true })
      // The store's expiry moves; the cookie is not re-sent for an unchanged session (express-session's rule).
      expect(setCookieOf(response)).toBeUndefined()
      expect(store.calls).toEqual(['get', 'get', 'set'])
    })
  })

  describe('log out everywhere', () => {
    it('lists and destroys every session of a user', async () => {
      const store = memoryStore()
      const routes = (app: Express): void => {
        common(app)
        app.post('/login', async (req, res) => {
          await req.session.regenerate()
          req.session.setUser('alice')
          res.send('ok')
        })
        app.get('/devices', async (req, res) => res.json({ count: (await req.session.listUserSessions()).length }))
        app.post('/logout-everywhere', async (req, res) =>
          res.json({ destroyed: await req.session.destroyUserSessions({ exceptCurrent: true }) }),
        )
      }
      const laptop = await start({ store, resave: false }, routes)
      const phone = new Jar(laptop.served)
      await laptop.request('/login', { method: 'POST' })
      await phone.request('/login', { method: 'POST' })
      expect(await json(await laptop.request('/devices'))).toEqual({ count: 2 })
      expect(await json(await laptop.request('/logout-everywhere', { method: 'POST' }))).toEqual({ destroyed: 1 })
      expect(await json(await laptop.request('/devices'))).toEqual({ count: 1 })
      expect((await json(await phone.request('/read'))).data).toEqual({ cookie: expect.any(Object) })
    })
  })
})

describe('stores written for express-session', () => {
  it('class MyStore extends session.Store works, including load() and createSession()', async () => {
    const store = new CallbackStore()
    expect(store).toBeInstanceOf(session.Store)
    const jar = await start({ store })
    await jar.request('/views')
    const [sid] = [...store.sessions.keys()]
    const loaded = await new Promise<any>((resolve, reject) =>
      store.load(sid as string, (err, s) => (err ? reject(err) : resolve(s))),
    )
    expect(loaded).toBeInstanceOf(session.Session)
    expect(loaded.id).toBe(sid)
    expect(loaded.views).toBe(1)
    expect(loaded.cookie).toBeInstanceOf(session.Cookie)
  })

  it('the pre-class pattern Store.call(this) + util.inherits works', async () => {
    const sessions = new Map<string, LegacyRecord>()
    function OldStore(this: any): void {
      session.Store.call(this)
    }
    inherits(OldStore, session.Store as unknown as new () => object)
    Object.assign(OldStore.prototype, {
      get: (sid: string, cb: (e: unknown, v?: unknown) => void) => cb(null, sessions.get(sid) ?? null),
      set: (sid: string, v: LegacyRecord, cb: (e?: unknown) => void) => (sessions.set(sid, v), cb()),
      destroy: (sid: string, cb: (e?: unknown) => void) => (sessions.delete(sid), cb()),
    })
    const store = new (OldStore as unknown as new () => InstanceType<typeof session.Store>)()
    expect(typeof store.on).toBe('function')
    const jar = await start({ store: store as never })
    await jar.request('/views')
    expect((await json(await jar.request('/views'))).views).toBe(2)
    expect(sessions.size).toBe(1)
  })

  it('never resurrects a session another request destroyed (patch re-reads the record)', async () => {
    const store = new CallbackStore()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const jar = await start({ store, resave: false }, (app) => {
      common(app)
      app.get('/slow-write', async (req, res) => {
        await gate
        data(req).late = true
        res.send('ok')
      })
      app.get('/destroy', (req, res) => req.session.destroy(() => res.send('ok')))
    })
    await jar.request('/views')
    const cookie = jar.header()
    const slow = jar.request('/slow-write')
    await jar.request('/destroy')
    release()
    const response = await slow
    expect(response.status).toBe(200)
    expect(store.sessions.size).toBe(0)
    expect(setCookieOf(response)).toMatch(/Max-Age=0/)
    expect(cookie).toBeTruthy()
  })
})

describe('session.MemoryStore', () => {
  it("offers express-session's callback API over the bounded memory store", async () => {
    const store = new session.MemoryStore({ max: 10 })
    const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void): Promise<T | undefined> =>
      new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))))
    const expires = new Date(Date.now() + 60_000)
    await call((cb) => store.set('a', { cookie: { originalMaxAge: 60_000, expires }, views: 3 }, cb))
    const got = await call<LegacyRecord | null>((cb) => store.get('a', cb))
    expect(got).toMatchObject({ views: 3, cookie: { originalMaxAge: 60_000 } })
    expect(Date.parse(String(got?.cookie.expires))).toBe(expires.getTime())
    expect(await call<number>((cb) => store.length(cb))).toBe(1)
    const all = await call<Record<string, LegacyRecord>>((cb) => store.all(cb))
    expect(Object.keys(all ?? {})).toEqual(['a'])
    expect(all?.a).toMatchObject({ views: 3, cookie: { originalMaxAge: 60_000 } })
    expect(Date.parse(String(all?.a?.cookie.expires))).toBe(expires.getTime())
    await call((cb) => store.destroy('a', cb))
    expect(await call((cb) => store.all(cb))).toEqual({})
    expect(await call((cb) => store.get('a', cb))).toBeNull()
    await call((cb) => store.set('b', { cookie: { originalMaxAge: null, expires: null } }, cb))
    await call((cb) => store.clear(cb))
    expect(await call<number>((cb) => store.length(cb))).toBe(0)
  })

  it('is shared by req.sessionStore and the middleware', async () => {
    const store = new session.MemoryStore()
    const jar = await start({ store })
    await jar.request('/views')
    const count = await new Promise<number | undefined>((resolve) => store.length((_, n) => resolve(n)))
    expect(count).toBe(1)
  })
})

describe('responses', () => {
  it('a redirect right after a write is read back with the new data', async () => {
    const jar = await start({ saveUninitialized: false }, (app) => {
      common(app)
      app.post('/login', (req, res) => {
        data(req).user = 'alice'
        res.redirect('/read')
      })
    })
    const response = await jar.request('/login', { method: 'POST' })
    expect(response.status).toBe(302)
    expect((await json(await jar.request('/read'))).data.user).toBe('alice')
  })

  it('appends the cookie when the handler writes headers itself and streams', async () => {
    const jar = await start({ saveUninitialized: false }, (app) =>
      app.get('/stream', (req, res) => {
        data(req).streamed = true
        res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'app=1' })
        res.write('a')
        setTimeout(() => res.end('b'), 10)
      }),
    )
    const response = await jar.request('/stream')
    expect(await response.text()).toBe('ab')
    const cookies = response.headers.getSetCookie()
    expect(cookies[0]).toBe('app=1')
    expect(cookies[1]).toMatch(/^connect\.sid=/)
  })

  it('a hanging store fails the request after storeTimeout (ms)', async () => {
    const hanging: CoreStore = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      destroy: async () => {},
    }
    const jar = await start({ store: hanging, storeTimeout: 100 })
    const response = await jar.request('/views')
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ code: 'STORE_TIMEOUT' })
  })
})
