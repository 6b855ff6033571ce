// express-session behaviours (issue 13), each through a real Express server on a loopback port.
import { createHmac, randomBytes } from 'node:crypto'
import cookieParser from 'cookie-parser'
import express from 'express'
import type { ErrorRequestHandler, Express, Request, RequestHandler } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import session, { isStoreError } from '../src/index.js'
import type { LegacyRecord, SessionOptions } from '../src/index.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve, setCookieOf } from './helpers.js'

type Data = Record<string, unknown>
const data = (req: Request): Data => req.session as unknown as Data

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

interface Started {
  jar: Jar
  errors: unknown[]
}

/** An app with `before` middleware, the session, the routes, and an error handler recording what reached it. */
async function start(
  options: Partial<SessionOptions>,
  routes: (app: Express) => void,
  before: RequestHandler[] = [],
): Promise<Started> {
  const app = express()
  const errors: unknown[] = []
  for (const m of before) app.use(m)
  app.use(session({ secret: SECRET, ...options }))
  routes(app)
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    errors.push(err)
    if (res.headersSent) return
    res.status(500).json({ code: err.code, message: err.message })
  }
  app.use(onError)
  const served = await serve(app)
  running.push(served)
  return { jar: new Jar(served), errors }
}

function views(app: Express): void {
  app.get('/views', (req, res) => {
    const s = data(req)
    s.views = ((s.views as number | undefined) ?? 0) + 1
    res.json({ views: s.views, id: req.session.id })
  })
  app.get('/same', (req, res) => {
    data(req).user = 'bob'
    res.send('ok')
  })
  app.get('/read', (req, res) => {
    res.json({ views: req.session ? (data(req).views ?? null) : null, session: typeof req.session })
  })
}

/** Counts calls of a MemoryStore's methods by replacing them on the instance, as instrumentation does. */
function instrument(store: InstanceType<typeof session.MemoryStore>): Record<string, number> {
  const counts: Record<string, number> = { get: 0, set: 0, touch: 0, destroy: 0 }
  for (const method of ['get', 'set', 'touch', 'destroy'] as const) {
    const original = store[method] as (...args: unknown[]) => void
    ;(store as unknown as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
      counts[method] = (counts[method] ?? 0) + 1
      return original.apply(this, args)
    }
  }
  return counts
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('lifetimes in milliseconds, below one second included', () => {
  it('a 5 ms maxAge expires the session; 500 ms is accepted; zero or less is expired at once', async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store, cookie: { maxAge: 5 } }, views)
    const first = (await (await jar.request('/views')).json()) as Data
    await wait(30)
    const second = (await (await jar.request('/views')).json()) as Data
    expect([first.views, second.views, second.id !== first.id]).toEqual([1, 1, true])
    await wait(30)
    // Expired records are not listed, though the memory store keeps them up to a second (whole-second TTLs).
    const later = await new Promise<object>((resolve) => store.all((_e, all) => resolve(all as object)))
    expect(Object.keys(later)).toEqual([])
    const half = await start({ cookie: { maxAge: 500 } }, views)
    expect(setCookieOf(await half.jar.request('/views'))).toMatch(/Max-Age=[01]; Path=\/; Expires=/)
    expect(((await (await half.jar.request('/views')).json()) as Data).views).toBe(2)
    for (const maxAge of [0, -1000]) {
      const gone = await start({ cookie: { maxAge } }, views)
      await gone.jar.request('/views')
      await wait(5)
      expect(((await (await gone.jar.request('/views')).json()) as Data).views).toBe(1)
    }
  })

  it('cookie.maxAge shows the remaining milliseconds, originalMaxAge the configured ones', async () => {
    const { jar } = await start({ cookie: { maxAge: 2000 } }, (app) => {
      app.get('/', (req, res) => {
        data(req).x = 1
        res.json({ original: req.session.cookie.originalMaxAge, left: req.session.cookie.maxAge })
      })
    })
    const { original, left } = (await (await jar.request('/')).json()) as { original: number; left: number }
    expect(original).toBe(2000)
    expect(left).toBeGreaterThan(1900)
    expect(left).toBeLessThanOrEqual(2000)
  })
})

describe('the MemoryStore goes through its own methods', () => {
  it('writes and touches through set/touch once the app replaces them, and straight to memory before', async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store, cookie: { maxAge: 60_000 } }, views)
    await jar.request('/views')
    const counts = instrument(store)
    await jar.request('/views')
    expect(counts.set).toBe(1)
    expect(counts.get).toBeGreaterThanOrEqual(1)
    const length = await new Promise<number>((resolve) => store.length((_e, n) => resolve(n as number)))
    expect(length).toBe(1)
  })

  it('a subclass overriding set sees every write, in express-session record shape', async () => {
    const seen: LegacyRecord[] = []
    class Recording extends session.MemoryStore {
      override set(sid: string, record: LegacyRecord, done?: (err?: unknown) => void): void {
        seen.push(record)
        super.set(sid, record, done)
      }
    }
    const { jar } = await start({ store: new Recording(), cookie: { maxAge: 60_000 } }, views)
    await jar.request('/views')
    await jar.request('/views')
    expect(seen.map((r) => r.views)).toEqual([1, 2])
    expect(seen[0]?.cookie).toMatchObject({ originalMaxAge: 60_000, path: '/', httpOnly: true })
  })

  it('keeps the cookie expiry of the middleware in the records its callback API returns', async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store, cookie: { maxAge: 60_000 } }, views)
    const response = await jar.request('/views')
    const { id } = (await response.json()) as { id: string }
    const record = await new Promise<LegacyRecord>((resolve) => store.get(id, (_e, r) => resolve(r as LegacyRecord)))
    const expires = /Expires=([^;]+)/.exec(setCookieOf(response) ?? '')?.[1]
    expect(new Date(record.cookie.expires as string).toUTCString()).toBe(expires)
  })
})

describe('store errors are handed on as the store raised them', () => {
  it('a get error reaches next(err) unchanged; an ENOENT get error means "no such session"', async () => {
    const store = new session.MemoryStore()
    const { jar, errors } = await start({ store }, views)
    await jar.request('/views')
    const boom = Object.assign(new Error('boom!'), { code: 'EBOOM' })
    store.get = (_sid, cb) => cb(boom)
    expect((await jar.request('/views')).status).toBe(500)
    // The store's error as express-session hands it on (a copy without session ids or data, issue 17.9), and still
    // recognisable as the store's failure (answer 503).
    const [handed] = errors as Error[]
    expect([handed?.name, handed?.message, (handed as { code?: string }).code]).toEqual(['Error', 'boom!', 'EBOOM'])
    expect([isStoreError(handed), isStoreError(new Error('boom!')), Object.keys(handed as object)]).toEqual([
      true,
      false,
      ['code'],
    ])
    store.get = (_sid, cb) => cb(Object.assign(new Error('gone'), { code: 'ENOENT' }))
    const fresh = await jar.request('/views')
    expect(((await fresh.json()) as Data).views).toBe(1)
  })

  it('save(cb) and destroy(cb) get the store error; touch(cb) is called back', async () => {
    const store = new session.MemoryStore()
    const boom = new Error('boom!')
    const { jar } = await start({ store }, (app) => {
      views(app)
      app.get('/save', (req, res) => {
        req.session.save((err: Error) => res.json({ same: err.message === boom.message && isStoreError(err) }))
      })
      app.get('/destroy', (req, res) => {
        req.session.destroy((err: Error) => res.json({ same: err.message === boom.message && isStoreError(err) }))
      })
      app.get('/touch', (req, res) => {
        req.session.touch(() => res.json({ touched: true }))
      })
    })
    await jar.request('/views')
    store.set = (_sid, _record, cb) => cb?.(boom)
    store.destroy = (_sid, cb) => cb?.(boom)
    expect(await (await jar.request('/save')).json()).toEqual({ same: true })
    expect(await (await jar.request('/destroy')).json()).toEqual({ same: true })
    expect(await (await jar.request('/touch')).json()).toEqual({ touched: true })
  })

  it('a failed write the app did not ask for (an empty new session) ends the response as written, then next(err)', async () => {
    const store = new session.MemoryStore()
    const boom = new Error('boom!')
    store.set = (_sid, _record, cb) => cb?.(boom)
    const { jar, errors } = await start({ store }, (app) => {
      app.get('/', (_req, res) => {
        res.send('page')
      })
    })
    const response = await jar.request('/')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('page')
    await wait(20)
    expect((errors as Error[]).map((e) => [e.message, isStoreError(e)])).toEqual([['boom!', true]])
  })

  it('a failed write of the data the app changed fails the request before the response (no false success)', async () => {
    const store = new session.MemoryStore()
    const boom = new Error('boom!')
    store.set = (_sid, _record, cb) => cb?.(boom)
    const { jar, errors } = await start({ store }, views)
    const response = await jar.request('/views')
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ message: 'boom!' })
    expect((errors as Error[]).map((e) => [e.message, isStoreError(e)])).toEqual([['boom!', true]])
  })

  it("unset: 'destroy' hands the store's destroy error on after the response", async () => {
    const store = new session.MemoryStore()
    const boom = new Error('boom!')
    store.destroy = (_sid, cb) => cb?.(boom)
    const { jar, errors } = await start({ store, unset: 'destroy' }, (app) => {
      app.get('/', (req, res) => {
        ;(req as { session: unknown }).session = null
        res.send('gone')
      })
    })
    const response = await jar.request('/')
    expect([response.status, await response.text()]).toEqual([200, 'gone'])
    await wait(20)
    expect((errors as Error[]).map((e) => [e.message, isStoreError(e)])).toEqual([['boom!', true]])
    expect(setCookieOf(response)).toBeUndefined()
  })

  it('serves requests without a session while the store reports itself disconnected', async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store }, views)
    store.emit('disconnect')
    const off = await jar.request('/read')
    expect([await off.json(), setCookieOf(off)]).toEqual([{ views: null, session: 'undefined' }, undefined])
    store.emit('connect')
    expect(await (await jar.request('/read')).json()).toEqual({ views: null, session: 'object' })
  })
})

describe('options express-session accepts', () => {
  it("a Buffer secret signs and verifies; so does cookie-parser's req.secret when session() has none", async () => {
    const buffered = await start({ secret: randomBytes(32) }, views)
    await buffered.jar.request('/views')
    expect(((await (await buffered.jar.request('/views')).json()) as Data).views).toBe(2)
    const parsed = await start({ secret: undefined }, views, [cookieParser('parser secret')])
    await parsed.jar.request('/views')
    expect(((await (await parsed.jar.request('/views')).json()) as Data).views).toBe(2)
  })

  it("reads the session cookie from cookie-parser's req.signedCookies and req.cookies when the header lacks it", async () => {
    const dropHeader: RequestHandler = (req, _res, next) => {
      req.headers.cookie = 'other=1'
      next()
    }
    const signed = await start({}, views, [cookieParser(SECRET), dropHeader])
    await signed.jar.request('/views')
    expect(((await (await signed.jar.request('/views')).json()) as Data).views).toBe(2)
    const plain = await start({}, views, [cookieParser(), dropHeader])
    await plain.jar.request('/views')
    expect(((await (await plain.jar.request('/views')).json()) as Data).views).toBe(2)
    // A forged value in req.cookies is verified like a header: a new session.
    plain.jar.cookies.set('connect.sid', 's%3Aforged.AAAA')
    expect(((await (await plain.jar.request('/views')).json()) as Data).views).toBe(1)
  })

  it('reads req.cookies also when an app defines it on its request prototype (a lazy parser), with no Cookie header', async () => {
    const lazy = await start({}, (app) => {
      Object.defineProperty(app.request, 'cookies', {
        configurable: true,
        get(this: Request) {
          const sid = this.headers['x-session']
          return typeof sid === 'string' ? { 'connect.sid': decodeURIComponent(sid) } : {}
        },
      })
      views(app)
    })
    await lazy.jar.request('/views')
    const sid = lazy.jar.get('connect.sid') ?? ''
    lazy.jar.cookies.clear()
    const again = await lazy.jar.request('/views', { headers: { 'x-session': sid } })
    expect(((await again.json()) as Data).views).toBe(2)
    // Without it, a request with no Cookie header starts a session of its own.
    expect(((await (await lazy.jar.request('/views')).json()) as Data).views).toBe(1)
  })

  it('key is the old name of name; sameSite is case-insensitive; partitioned works without secure', async () => {
    const { jar } = await start({ key: 'sessid', cookie: { sameSite: 'Strict', partitioned: true } }, views)
    const cookie = setCookieOf(await jar.request('/views'), 'sessid') ?? ''
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Partitioned/)
  })

  it("sameSite 'auto' is None over HTTPS (with Secure, which browsers require) and Lax over HTTP", async () => {
    const { jar } = await start({ proxy: true, cookie: { sameSite: 'auto', secure: false } }, views)
    const https = setCookieOf(await jar.request('/views', { headers: { 'x-forwarded-proto': 'https' } })) ?? ''
    expect(https).toMatch(/SameSite=None/)
    expect(https).toMatch(/Secure/)
    const http = setCookieOf(await jar.request('/views', { headers: { cookie: '' } })) ?? ''
    expect(http).toMatch(/SameSite=Lax/)
    expect(http).not.toMatch(/Secure/)
  })

  it('cookie attributes changed on req.session.cookie apply to this response; a past expires is sent as given', async () => {
    const { jar } = await start({ proxy: true, cookie: { maxAge: 5000, priority: 'high' } }, (app) => {
      app.get('/attrs', (req, res) => {
        req.session.cookie.httpOnly = false
        req.session.cookie.secure = true
        res.send('ok')
      })
      app.get('/expire', (req, res) => {
        req.session.cookie.expires = new Date(0)
        res.send('ok')
      })
    })
    const attrs = setCookieOf(await jar.request('/attrs', { headers: { 'x-forwarded-proto': 'https' } })) ?? ''
    expect(attrs).not.toMatch(/HttpOnly/)
    expect(attrs).toMatch(/; Secure/)
    expect(attrs).toMatch(/Priority=High/)
    const expired = setCookieOf(await jar.request('/expire')) ?? ''
    expect(expired).toMatch(/Expires=Thu, 01 Jan 1970 00:00:00 GMT/)
  })

  it('genid must be a function; an empty secret array is refused with a message naming it', () => {
    expect(() => session({ secret: SECRET, genid: 'abc' as never })).toThrow(/genid must be a function/)
    expect(() => session({ secret: [] })).toThrow(/secret option array/)
  })
})

describe('requests as express-session handles them', () => {
  it('an unchanged session gets no new cookie without rolling; a changed one does', async () => {
    const { jar } = await start({ cookie: { maxAge: 60_000 } }, views)
    expect(setCookieOf(await jar.request('/same'))).toBeDefined()
    expect(setCookieOf(await jar.request('/same'))).toBeUndefined()
    expect(setCookieOf(await jar.request('/views'))).toBeDefined()
    const rolling = await start({ rolling: true, cookie: { maxAge: 60_000 } }, views)
    await rolling.jar.request('/same')
    expect(setCookieOf(await rolling.jar.request('/same'))).toBeDefined()
  })

  it('resave (the default) refreshes the stored expiry of an unchanged session; resave: false writes nothing', async () => {
    for (const [resave, writes] of [
      [true, 1],
      [false, 0],
    ] as const) {
      const store = new session.MemoryStore()
      const { jar } = await start({ store, resave, cookie: { maxAge: 60_000 } }, views)
      await jar.request('/same')
      const counts = instrument(store)
      await jar.request('/same')
      expect(counts.set).toBe(writes)
    }
  })

  it('a second res.end while the session is saved is ignored, and headers are sent as with express-session', async () => {
    let thrown = ''
    const { jar } = await start({}, (app) => {
      app.get('/', (_req, res) => {
        res.end()
        try {
          res.setHeader('Content-Length', '3')
        } catch (error) {
          thrown = (error as { code: string }).code
        }
        res.end('foo')
      })
    })
    const response = await jar.request('/')
    expect([response.status, await response.text(), thrown]).toEqual([200, '', 'ERR_HTTP_HEADERS_SENT'])
  })

  it('an empty req.url still gets a session; a non-string req.sessionID saves nothing and sends no cookie', async () => {
    const middleware = session({ secret: SECRET })
    const app = express()
    app.use((req, res) => {
      req.url = ''
      req.originalUrl = ''
      middleware(req, res, () => res.send(typeof req.session))
    })
    const served = await serve(app)
    running.push(served)
    const empty = await served.request('/')
    expect([await empty.text(), setCookieOf(empty) !== undefined]).toEqual(['object', true])
    const bogus = await start({ store: new session.MemoryStore() }, (a) => {
      a.get('/', (req, res) => {
        ;(req as { sessionID: unknown }).sessionID = () => {}
        data(req).x = 1
        res.end()
      })
    })
    const response = await bogus.jar.request('/')
    expect(setCookieOf(response)).toBeUndefined()
  })

  it('a cookie with a wrong signature gives a new session without reading the store', async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store }, views)
    await jar.request('/views')
    const counts = instrument(store)
    const value = jar.get('connect.sid') as string
    jar.cookies.set('connect.sid', value.replace(/...$/, 'AAA'))
    const response = await jar.request('/views')
    expect(((await response.json()) as Data).views).toBe(1)
    expect(counts.get).toBe(0)
    // express-session's signature format, so existing cookies keep working.
    const id = decodeURIComponent(jar.get('connect.sid') as string).slice(2, -44)
    const mac = createHmac('sha256', SECRET).update(id).digest('base64').replace(/=+$/, '')
    expect(decodeURIComponent(jar.get('connect.sid') as string)).toBe(`s:${id}.${mac}`)
  })

  it('the response ends only after a slow store has saved the session, also for empty and streamed bodies', async () => {
    const store = new session.MemoryStore()
    let saved = 0
    const set = store.set.bind(store)
    store.set = (sid, record, cb) => {
      setTimeout(() => {
        saved++
        set(sid, record, cb)
      }, 100)
    }
    const { jar } = await start({ store }, (app) => {
      app.get('/empty', (req, res) => {
        data(req).hit = true
        res.setHeader('Content-Length', '0')
        res.end()
      })
      app.get('/stream', (req, res) => {
        data(req).hit = true
        res.write('hello, ')
        res.end('world')
      })
    })
    await jar.request('/empty', { headers: { cookie: '' } })
    expect(saved).toBe(1)
    const streamed = await jar.request('/stream', { headers: { cookie: '' } })
    expect(await streamed.text()).toBe('hello, world')
    expect(saved).toBe(2)
  })

  it('save() makes the end-of-request save unnecessary: one store write per request', async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store, saveUninitialized: false }, (app) => {
      app.get('/', (req, res) => {
        data(req).hit = true
        req.session.save(() => res.send('saved'))
      })
    })
    const counts = instrument(store)
    await jar.request('/')
    await jar.request('/')
    expect(counts.set).toBe(2)
  })

  it('touch() resets cookie.maxAge at once', async () => {
    const { jar } = await start({ cookie: { maxAge: 60_000 } }, (app) => {
      app.get('/', (req, res) => {
        data(req).x = 1
        res.send('ok')
      })
      app.get('/touch', async (req, res) => {
        await wait(50)
        const before = req.session.cookie.maxAge as number
        req.session.touch()
        res.json({ before, after: req.session.cookie.maxAge })
      })
    })
    await jar.request('/')
    const { before, after } = (await (await jar.request('/touch')).json()) as { before: number; after: number }
    expect(before).toBeLessThanOrEqual(59_950)
    expect(after).toBeGreaterThan(59_990)
  })

  it("reload() of a session gone from the store fails with express-session's message and SESSION_MISSING", async () => {
    const store = new session.MemoryStore()
    const { jar } = await start({ store }, (app) => {
      views(app)
      app.get('/reload', (req, res) => {
        store.clear(() => {
          req.session.reload((err: { code: string; message: string }) =>
            res.json({ code: err.code, message: err.message }),
          )
        })
      })
    })
    await jar.request('/views')
    expect(await (await jar.request('/reload')).json()).toEqual({
      code: 'SESSION_MISSING',
      message: 'failed to load session',
    })
  })

  it('regenerate(cb) gives a new id and empty data', async () => {
    const { jar } = await start({}, (app) => {
      views(app)
      app.get('/regenerate', (req, res) => {
        const before = req.session.id
        req.session.regenerate((err: unknown) => {
          res.json({ err: err ?? null, changed: req.session.id !== before, views: data(req).views ?? null })
        })
      })
    })
    await jar.request('/views')
    expect(await (await jar.request('/regenerate')).json()).toEqual({ err: null, changed: true, views: null })
  })
})

describe('a write after the response', () => {
  it('never crashes the process: it is ignored and reported through onEvent', async () => {
    const events: unknown[] = []
    let done: () => void = () => {}
    const finished = new Promise<void>((resolve) => {
      done = resolve
    })
    const { jar } = await start({ onEvent: (event) => events.push(event) }, (app) => {
      views(app)
      app.get('/late', (req, res) => {
        res.send('sent')
        setTimeout(() => {
          data(req).late = 1
          delete data(req).views
          req.session.cookie.maxAge = 1000
          req.session.touch()
          void req.session.save()
          req.session.regenerate(() => done())
        }, 20)
      })
    })
    await jar.request('/views')
    expect(await (await jar.request('/late')).text()).toBe('sent')
    await finished
    expect(events.filter((e) => (e as { type: string }).type === 'write-after-response')).toEqual(
      ['set', 'delete', 'cookie.expires', 'touch', 'save', 'regenerate'].map((operation) => ({
        type: 'write-after-response',
        operation,
      })),
    )
    expect(await (await jar.request('/read')).json()).toEqual({ views: 1, session: 'object' })
  })
})
