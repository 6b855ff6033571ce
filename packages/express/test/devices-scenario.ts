import type { Store as CoreStore } from '@sess/core'
import express from 'express'
import type { ErrorRequestHandler } from 'express'
import type { SessionOptions } from '../src/index.js'
import session from '../src/index.js'
import type { Served } from './helpers.js'
import { SECRET, serve } from './helpers.js'

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
