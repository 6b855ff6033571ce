import { getRequestListener } from '@hono/node-server'
import { describeAdapterConformance, listenOnLoopback } from '@sess/testing'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import type { SessionEnv } from '../src/index.js'
import { session } from '../src/index.js'

type Data = Record<string, string>
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// Served by @hono/node-server on a real loopback port, as the suite requires.
describeAdapterConformance('hono', async ({ store, secret, storeTimeout }) => {
  const app = new Hono<SessionEnv<Data>>()
  app.use(session<Data>({ secret, store, storeTimeout }))
  app.get('/get', (c) => {
    const s = c.get('session')
    return c.json({ id: s.id, value: s.get(c.req.query('key') ?? '') ?? null })
  })
  app.post('/set', async (c) => {
    const delay = Number(c.req.query('delay') ?? 0)
    if (delay > 0) await sleep(delay)
    const s = c.get('session')
    s.set(c.req.query('key') ?? '', c.req.query('value') ?? '')
    return c.json({ id: s.id })
  })
  app.post('/regenerate', async (c) => {
    await c.get('session').regenerate()
    return c.json({ id: c.get('session').id })
  })
  app.post('/destroy', async (c) => {
    await c.get('session').destroy()
    return c.json({})
  })
  app.get('/untouched', (c) => c.text('ok'))
  app.get('/with-own-cookie', (c) => {
    setCookie(c, 'app', '1', { path: '/' })
    c.get('session').set('own', 'yes')
    return c.text('ok')
  })
  app.onError((error, c) => c.json({ code: (error as { code?: string }).code ?? 'UNKNOWN' }, 500))
  const server = await listenOnLoopback(getRequestListener(app.fetch))
  return { ...server, cookieName: 'sid' }
})
