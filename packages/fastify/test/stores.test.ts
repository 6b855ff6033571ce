import { Writable } from 'node:stream'
import { memoryStore } from '@sess/store-memory'
import { describe, expect, it } from 'vitest'
import { eachCookieSetup, serve } from './serve.js'

type Cb = (err?: unknown, value?: unknown) => void

/** A @fastify/session-style store over a Map, with switchable failures. */
function callbackStore() {
  const map = new Map<string, unknown>()
  const fail = { get: false, set: false, destroy: false }
  const failing = (op: keyof typeof fail, cb: Cb) =>
    fail[op] && (cb(Object.assign(new Error(`redis ${op} ECONNREFUSED`), { code: 'ECONNREFUSED' })), true)
  return {
    map,
    fail,
    destroyed: [] as string[],
    get(id: string, cb: Cb) {
      if (!failing('get', cb)) cb(null, map.get(id))
    },
    set(id: string, value: unknown, cb: Cb) {
      if (!failing('set', cb)) map.set(id, JSON.parse(JSON.stringify(value))), cb()
    },
    destroy(id: string, cb: Cb) {
      if (failing('destroy', cb)) return
      this.destroyed.push(id)
      map.delete(id)
      cb()
    },
  }
}

const routes = (app: import('fastify').FastifyInstance) => {
  app.get('/count', async (request) => {
    request.session.n = ((request.session.n as number | undefined) ?? 0) + 1
    return { n: request.session.n }
  })
}

describe.each(eachCookieSetup)('callback stores, %s', (_, cookiePlugin) => {
  it("writes @fastify/session's record shape: the cookie next to the data", async () => {
    const store = callbackStore()
    const { request } = await serve({ store, cookie: { maxAge: 60_000 } }, routes, { cookiePlugin })
    await request('/count', { https: true })
    const [record] = [...store.map.values()] as Record<string, Record<string, unknown>>[]
    expect(Object.keys(record ?? {}).sort()).toEqual(['cookie', 'n'])
    expect(record?.cookie).toMatchObject({ originalMaxAge: 60_000, path: '/', httpOnly: true })
    expect(Date.parse(String(record?.cookie?.expires))).toBeGreaterThan(Date.now() + 50_000)
  })

  it("a sub-second cookie.maxAge is also the record's lifetime", async () => {
    const store = callbackStore()
    const { request } = await serve({ store, cookie: { maxAge: 300 } }, routes, { cookiePlugin })
    const started = Date.now()
    const first = await request('/count', { https: true })
    const [record] = [...store.map.values()] as { cookie: { expires: string; originalMaxAge: number } }[]
    expect(record?.cookie.originalMaxAge).toBe(300)
    expect(Date.parse(record?.cookie.expires ?? '') - started).toBeLessThan(1000)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect((await request('/count', { https: true, cookie: first.cookie })).body).toEqual({ n: 1 })
  })

  it('enforces expiry whatever the store does: an expired record is destroyed and a fresh session starts', async () => {
    const store = callbackStore()
    const { request } = await serve({ store, cookie: { maxAge: 60_000 } }, routes, { cookiePlugin })
    const first = await request('/count', { https: true })
    const [id] = [...store.map.keys()] as string[]
    const record = store.map.get(id as string) as { cookie: Record<string, unknown> }
    record.cookie.expires = new Date(Date.now() - 1000).toISOString()
    ;(record.cookie.__sess as { expiresAt: number }).expiresAt = Date.now() - 1000
    const again = await request('/count', { https: true, cookie: first.cookie })
    expect(again.body).toEqual({ n: 1 })
    expect(store.destroyed).toEqual([id])
    expect(again.cookie).not.toBe(first.cookie)
  })

  it('keeps both keys of two overlapping requests to one session (writes to one id are queued)', async () => {
    const store = callbackStore()
    const slow = { get: store.get.bind(store), set: store.set.bind(store) }
    store.get = (id: string, cb: Cb) => setTimeout(() => slow.get(id, cb), 30)
    store.set = (id: string, value: unknown, cb: Cb) => setTimeout(() => slow.set(id, value, cb), 30)
    const { request } = await serve(
      { store },
      (app) => {
        app.get<{ Querystring: { key: string } }>('/put', async (request) => {
          request.session[request.query.key] = true
          return 'ok'
        })
        app.get('/keys', async (request) => Object.keys(request.session).sort())
      },
      { cookiePlugin },
    )
    const first = await request('/put?key=base', { https: true })
    await Promise.all(['left', 'right'].map((key) => request(`/put?key=${key}`, { https: true, cookie: first.cookie })))
    expect((await request('/keys', { https: true, cookie: first.cookie })).body).toEqual(['base', 'left', 'right'])
  })

  it("reads a store's ENOENT as no session", async () => {
    const store = callbackStore()
    const { request } = await serve({ store }, routes, { cookiePlugin })
    const first = await request('/count', { https: true })
    store.get = (_id: string, cb: Cb) => cb(Object.assign(new Error('no file'), { code: 'ENOENT' }))
    expect((await request('/count', { https: true, cookie: first.cookie })).body).toEqual({ n: 1 })
  })

  it("gives the app's callbacks and promises the store's own error, and always calls the callback", async () => {
    const store = callbackStore()
    const { request } = await serve(
      { store },
      (app) => {
        app.get('/ops', async (request) => {
          store.fail.set = true
          store.fail.destroy = true
          store.fail.get = true
          const errors: string[] = []
          const s = request.session
          await new Promise<void>((resolve) => s.save((err) => (errors.push(String(err?.message)), resolve())))
          await s.reload().catch((err: Error) => errors.push(err.message))
          await s.regenerate().catch((err: Error) => errors.push(err.message))
          await new Promise<void>((resolve) => s.destroy((err) => (errors.push(String(err?.message)), resolve())))
          Object.assign(store.fail, { set: false, destroy: false, get: false })
          return { errors }
        })
      },
      { cookiePlugin },
    )
    expect((await request('/ops', { https: true })).body).toEqual({
      errors: [
        'redis set ECONNREFUSED',
        'redis get ECONNREFUSED',
        'redis set ECONNREFUSED',
        'redis destroy ECONNREFUSED',
      ],
    })
  })
})

describe('store outages', () => {
  /** Fastify's logger into an array, to see what the plugin logs. */
  function capture() {
    const lines: string[] = []
    const stream = new Writable({ write: (chunk, _enc, next) => (lines.push(String(chunk)), next()) })
    return { lines, logger: { level: 'info', stream } }
  }

  it('answers 503 without the internal message, logging the cause through Fastify without the session id', async () => {
    const store = callbackStore()
    const log = capture()
    const { request } = await serve({ store }, routes, { fastify: { logger: log.logger } })
    const first = await request('/count', { https: true })
    const id = [...store.map.keys()][0] as string
    store.fail.get = true
    const read = await request('/count', { https: true, cookie: first.cookie })
    expect(read.status).toBe(503)
    expect(JSON.stringify(read.body)).not.toMatch(/ECONNREFUSED|redis|\[sess\] Store/)
    expect(read.setCookie).toEqual([])
    store.fail.get = false
    store.fail.set = true
    const write = await request('/count', { https: true })
    expect(write.status).toBe(503)
    expect(write.setCookie).toEqual([])
    const logged = log.lines.join('\n')
    expect(logged).toContain('ECONNREFUSED')
    expect(logged).not.toContain(id)
  })

  it('answers 500 to a store error that is not an outage, still without its message', async () => {
    const store = callbackStore()
    const { request } = await serve({ store }, routes)
    const first = await request('/count', { https: true })
    store.get = (_id: string, cb: Cb) => cb(new Error('record rejected: key sess:abc is corrupt'))
    const read = await request('/count', { https: true, cookie: first.cookie })
    expect(read.status).toBe(500)
    expect(read.body).toMatchObject({ code: 'STORE_FAILURE', message: 'Session store error' })
    expect(JSON.stringify(read.body)).not.toContain('corrupt')
  })

  it('a `@sess/*` store failing or hanging past storeTimeout also answers 503', async () => {
    const base = memoryStore()
    let mode: 'ok' | 'fail' | 'hang' = 'ok'
    const { getAndTouch: _reads, ...rest } = base
    const store = {
      ...rest,
      get: (id: string) =>
        mode === 'fail'
          ? Promise.reject(Object.assign(new Error('down'), { code: 'ECONNRESET' }))
          : mode === 'hang'
            ? new Promise<never>(() => {})
            : base.get(id),
    }
    const { request } = await serve({ store, storeTimeout: 0.2 }, routes)
    const first = await request('/count', { https: true })
    mode = 'fail'
    expect((await request('/count', { https: true, cookie: first.cookie })).status).toBe(503)
    mode = 'hang'
    const hung = await request('/count', { https: true, cookie: first.cookie })
    expect(hung.status).toBe(503)
    expect(hung.body.code).toBe('STORE_TIMEOUT')
  })
})
