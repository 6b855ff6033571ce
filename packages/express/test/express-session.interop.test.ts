import { createRequire } from 'node:module'
import express from 'express'
import type { Express, RequestHandler } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import session from '../src/index.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve, setCookieOf } from './helpers.js'

// Loaded untyped: @types/express-session's global `req.session` would clash with ours in this program.
const expressSession = createRequire(import.meta.url)('express-session') as {
  (options: object): RequestHandler
  MemoryStore: new () => object
}

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

async function app(middleware: RequestHandler): Promise<Served> {
  const a: Express = express()
  a.use(middleware)
  a.post('/login', (req, res) => {
    const s = req.session as unknown as Record<string, unknown>
    s.user = req.query.user
    s.views = 1
    res.send('ok')
  })
  a.get('/me', (req, res) => {
    const s = req.session as unknown as Record<string, unknown>
    s.views = (s.views as number) + 1
    res.json({ id: req.sessionID, user: s.user ?? null, views: s.views })
  })
  const served = await serve(a)
  running.push(served)
  return served
}

describe('switching between express-session and @sess/express', () => {
  const options = { secret: SECRET, resave: false, saveUninitialized: false, cookie: { maxAge: 3_600_000 } }

  it('accepts cookies and records written by express-session (users stay logged in)', async () => {
    const store = new expressSession.MemoryStore()
    const before = new Jar(await app(expressSession({ ...options, store })))
    await before.request('/login?user=alice', { method: 'POST' })
    const cookie = before.get('connect.sid') as string
    expect(cookie).toMatch(/^s%3A[\w-]+\.[\w%]+$/)

    const after = new Jar(await app(session({ ...options, store: store as never })))
    after.cookies.set('connect.sid', cookie)
    const me = await after.request('/me')
    expect(await me.json()).toMatchObject({ user: 'alice', views: 2 })
    // The same id, re-sent with the refreshed expiry, signed exactly as express-session signs it.
    expect(after.get('connect.sid')).toBe(cookie)
    expect(setCookieOf(me)).toMatch(/Max-Age=3600/)
  })

  it('express-session accepts cookies and records written by @sess/express (rolling back is safe)', async () => {
    const store = new expressSession.MemoryStore()
    const sess = new Jar(await app(session({ ...options, store: store as never })))
    await sess.request('/login?user=bob', { method: 'POST' })
    const cookie = sess.get('connect.sid') as string

    const legacy = new Jar(await app(expressSession({ ...options, store })))
    legacy.cookies.set('connect.sid', cookie)
    expect(await (await legacy.request('/me')).json()).toMatchObject({ user: 'bob', views: 2 })

    // And back again: sess still reads the record express-session has just rewritten.
    sess.cookies.set('connect.sid', cookie)
    expect(await (await sess.request('/me')).json()).toMatchObject({ user: 'bob', views: 3 })
  })

  it('produces the same cookie value as express-session for the same id and secret', async () => {
    const id = 'fixed-session-id-0123456789abcdef'
    const values: string[] = []
    for (const middleware of [
      expressSession({ ...options, genid: () => id }),
      session({ ...options, genid: () => id }),
    ]) {
      const jar = new Jar(await app(middleware))
      await jar.request('/login?user=carol', { method: 'POST' })
      values.push(jar.get('connect.sid') as string)
    }
    expect(values[0]).toBe(values[1])
  })
})
