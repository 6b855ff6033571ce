import type { Store as CoreStore } from '@sess/core'
import express from 'express'
import type { ErrorRequestHandler } from 'express'
import { expect } from 'vitest'
import type { SessionOptions } from '../src/index.js'
import session from '../src/index.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve } from './helpers.js'

declare module '../src/index.js' {
  interface SessionData {
    signedIn: string
  }
}

/** An app with "your devices" routes; errors answer with their code. */
export async function devicesApp(options: Partial<SessionOptions>, store: CoreStore): Promise<Served> {
  const app = express()
  app.set('trust proxy', true)
  app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, store, ...options }))
  app.post('/login', async (req, res) => {
    await req.session.regenerate()
    req.session.setUser('ada')
    req.session.signedIn = 'ada'
    res.send('ok')
  })
  app.get('/devices', async (req, res) => {
    res.json(await req.session.listUserSessions())
  })
  app.post('/revoke/:id', async (req, res) => {
    res.json({ revoked: await req.session.destroyUserSession(decodeURIComponent(req.params.id as string)) })
  })
  app.post('/others', async (req, res) => {
    res.json({ ended: await req.session.destroyUserSessions({ exceptCurrent: true }) })
  })
  app.get('/who', (req, res) => {
    res.json({ user: req.session.signedIn ?? null })
  })
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(500).json({ code: (error as { code?: string }).code ?? null, message: String(error.message) })
  }
  app.use(onError)
  return serve(app)
}

interface Listed {
  id: string
  current: boolean
  createdAt: number
  lastSeenAt: number
  expiresAt: number
  userAgent?: string
  ip?: string
}

/**
 * Two devices (two cookie jars) of one user: each lists both with its own session marked `current`; one revokes
 * the other by its listed id (that one is signed out, this one stays); the revoked cookie then reads no user.
 */
export async function twoDevices(served: Served, hashed: boolean): Promise<void> {
  const laptop = new Jar(served)
  const phone = new Jar(served)
  await laptop.request('/login', { method: 'POST', headers: { 'user-agent': 'Laptop/1.0' } })
  await phone.request('/login', { method: 'POST', headers: { 'user-agent': 'Phone/2.0' } })
  const fromLaptop = (await (await laptop.request('/devices')).json()) as Listed[]
  const fromPhone = (await (await phone.request('/devices')).json()) as Listed[]
  expect(fromLaptop).toHaveLength(2)
  expect(fromLaptop.filter((d) => d.current)).toHaveLength(1)
  const phoneRow = fromLaptop.find((d) => !d.current) as Listed
  // The phone sees the same two ids, the other one marked.
  expect(fromPhone.find((d) => d.current)?.id).toBe(phoneRow.id)
  expect(phoneRow.id.startsWith('#')).toBe(hashed)
  for (const d of fromLaptop) {
    expect(d.lastSeenAt).toBeGreaterThanOrEqual(d.createdAt)
    expect(d.expiresAt).toBeGreaterThan(d.lastSeenAt)
  }
  const revoked = await laptop.request(`/revoke/${encodeURIComponent(phoneRow.id)}`, { method: 'POST' })
  expect(await revoked.json()).toEqual({ revoked: true })
  expect(await (await phone.request('/who')).json()).toEqual({ user: null })
  expect(await (await laptop.request('/who')).json()).toEqual({ user: 'ada' })
  const after = (await (await laptop.request('/devices')).json()) as Listed[]
  expect(after.map((d) => d.current)).toEqual([true])
}
