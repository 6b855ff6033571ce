import session, { MemoryStore } from '@sess/express'
import { listenOnLoopback } from '@sess/testing'
import express from 'express'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SECRET } from './apps.js'
import { fuzz, SEED } from './fuzz.js'

// Issue 17.3: a session change after the response was sent killed the process. Here a handler answers first and
// then, after a delay drawn by fast-check, changes the session in one of the ways an app can; the process must
// survive (no uncaught exception, which vitest reports as a failure), and the server keeps answering.

type Late = 'set' | 'save' | 'regenerate' | 'destroy' | 'touch' | 'reload' | 'cookie'
const LATE: Late[] = ['set', 'save', 'regenerate', 'destroy', 'touch', 'reload', 'cookie']

describe(`express: session changes after the response (seed ${SEED})`, () => {
  let server: Awaited<ReturnType<typeof listenOnLoopback>>
  const settled: Promise<void>[] = []
  beforeAll(async () => {
    const app = express()
    app.use(session({ secret: SECRET, store: new MemoryStore(), resave: false, saveUninitialized: false }))
    app.post('/start', (req, res) => {
      ;(req.session as unknown as Record<string, number>).n = 1
      res.send('ok')
    })
    app.post('/late', (req, res) => {
      const what = String(req.query.what) as Late
      const delay = Number(req.query.delay)
      res.send('ok')
      settled.push(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            const s = req.session as unknown as Record<string, unknown> & {
              save(cb: () => void): void
              regenerate(cb: () => void): void
              destroy(cb: () => void): void
              reload(cb: () => void): void
              touch(): void
              cookie: { maxAge: number }
            }
            const done = (): void => resolve()
            if (what === 'set') s.late = Date.now()
            else if (what === 'touch') s.touch()
            else if (what === 'cookie') s.cookie.maxAge = 60_000
            else return s[what](done)
            resolve()
          }, delay),
        ),
      )
    })
    server = await listenOnLoopback(app)
  })
  afterAll(() => server?.close())

  it('never crashes the process, and the server keeps answering', async () => {
    await fuzz(
      'express late writes',
      fc.asyncProperty(fc.constantFrom(...LATE), fc.integer({ min: 0, max: 5 }), async (what, delay) => {
        const start = await server.request('/start', { method: 'POST' })
        const cookie = start.headers.getSetCookie()[0]?.split(';')[0] ?? ''
        const response = await server.request(`/late?what=${what}&delay=${delay}`, {
          method: 'POST',
          headers: { cookie },
        })
        expect(response.status).toBe(200)
        // Every late callback must come back (with or without an error), never hang or throw.
        await Promise.all(settled.splice(0))
        expect((await server.request('/start', { method: 'POST', headers: { cookie } })).status).toBe(200)
      }),
      60,
    )
  })
})
