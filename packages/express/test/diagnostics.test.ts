import type { SessionEvent } from '@sess/core'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import type { ExpressSessionEvent, SessionOptions } from '../src/index.js'
import session from '../src/index.js'
import type { Served } from './helpers.js'
import { SECRET, serve } from './helpers.js'

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

async function start(options: Partial<SessionOptions>, trustProxy: boolean): Promise<Served> {
  const app = express()
  app.set('trust proxy', trustProxy)
  app.use(session({ secret: SECRET, ...options }))
  app.get('/', (req, res) => {
    req.session.views = 1
    res.send('ok')
  })
  const served = await serve(app)
  running.push(served)
  return served
}

const reasons = (events: (SessionEvent | ExpressSessionEvent)[]): unknown[] =>
  events.filter((e) => e.type === 'cookie-rejected').map((e) => (e as { reason: string }).reason)

describe('diagnostics inputs through Express (only with onEvent)', () => {
  it('reports an HTTPS proxy that is not trusted, and nothing once trust proxy is on', async () => {
    const events: (SessionEvent | ExpressSessionEvent)[] = []
    const onEvent = (e: SessionEvent | ExpressSessionEvent): void => void events.push(e)
    const headers = { 'x-forwarded-proto': 'https' }
    const untrusted = await start({ onEvent, cookie: { secure: true } }, false)
    await untrusted.request('/', { headers })
    expect(reasons(events)).toContain('untrusted-proxy')

    events.length = 0
    const trusted = await start({ onEvent, cookie: { secure: true } }, true)
    const response = await trusted.request('/', { headers })
    expect(response.headers.getSetCookie().join()).toMatch(/connect\.sid=.*Secure/)
    expect(reasons(events)).not.toContain('untrusted-proxy')
  })
})
