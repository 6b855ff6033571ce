import { describeAdapterConformance } from '@sess/testing'
import express from 'express'
import type { ErrorRequestHandler } from 'express'
import session from '../src/index.js'
import { serve } from './helpers.js'

describeAdapterConformance('express', async ({ store, secret, storeTimeout }) => {
  const app = express()
  app.use(session({ secret, store, resave: false, saveUninitialized: false, storeTimeout: storeTimeout * 1000 }))
  const data = (req: express.Request): Record<string, unknown> => req.session as unknown as Record<string, unknown>
  app.get('/get', (req, res) => {
    res.json({ id: req.session.id, value: data(req)[String(req.query.key)] ?? null })
  })
  app.post('/set', async (req, res) => {
    const delay = Number(req.query.delay ?? 0)
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    data(req)[String(req.query.key)] = String(req.query.value)
    res.json({ id: req.session.id })
  })
  app.post('/regenerate', async (req, res) => {
    await req.session.regenerate()
    res.json({ id: req.session.id })
  })
  app.post('/destroy', async (req, res) => {
    await req.session.destroy()
    res.json({})
  })
  app.get('/untouched', (_req, res) => {
    res.send('ok')
  })
  app.get('/with-own-cookie', (req, res) => {
    res.cookie('app', '1', { path: '/' })
    data(req).own = 'yes'
    res.send('ok')
  })
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).json({ code: (err as { code?: string }).code })
  }
  app.use(onError)
  return { ...(await serve(app)), cookieName: 'connect.sid' }
})
