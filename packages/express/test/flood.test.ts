import express from 'express'
import { afterAll, describe, expect, it } from 'vitest'
import session, { MemoryStore } from '../src/index.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve } from './helpers.js'

// Issue 17.2: under express-session's defaults (saveUninitialized: true, MemoryStore of 10,000 sessions), every
// cookieless request stores an empty session; 10,001 of them used to evict every logged-in user. Empty sessions
// are now evicted first. The store here holds 1,000 so that the run stays short; the rule does not depend on it.
describe('anonymous flooding with the default options', () => {
  let served: Served | undefined
  afterAll(() => served?.close())

  it('1,001 cookieless requests leave a logged-in user logged in', async () => {
    const store = new MemoryStore({ max: 1000 })
    const app = express()
    app.use(session({ secret: SECRET, store }))
    app.post('/login', (req, res) => {
      ;(req.session as unknown as { user: string }).user = 'alice'
      res.send('ok')
    })
    app.get('/me', (req, res) => {
      res.json({ user: (req.session as unknown as { user?: string }).user ?? null })
    })
    app.get('/', (_req, res) => {
      res.send('hello')
    })
    served = await serve(app)
    const alice = new Jar(served)
    await alice.request('/login', { method: 'POST' })
    expect(await (await alice.request('/me')).json()).toEqual({ user: 'alice' })

    const flood = served
    let stored = 0
    for (let sent = 0; sent < 1001; sent += 100) {
      const batch = Array.from({ length: Math.min(100, 1001 - sent) }, () => flood.request('/'))
      for (const response of await Promise.all(batch)) {
        expect(response.status).toBe(200)
        if (response.headers.getSetCookie().length > 0) stored++
      }
    }
    // Every flood request did store a session (so the bound was reached), and the store stayed at its bound.
    expect(stored).toBe(1001)
    expect(await new Promise((resolve) => store.length((_err, n) => resolve(n)))).toBe(1000)
    expect(await (await alice.request('/me')).json()).toEqual({ user: 'alice' })
  }, 120_000)
})
