import { setTimeout as sleep } from 'node:timers/promises'
import type { Store } from '@sess/core'
import { isSessionError } from '@sess/core'
import session from '@sess/express'
import type { JsonApp } from '@sess/testing'
import { serveJsonApp } from '@sess/testing'
import express from 'express'
import type { NextFunction, Request, Response } from 'express'

export const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

/** An Express app with @sess/express on `store`, listening on a free loopback port. */
export type ExpressApp = JsonApp

/**
 * Routes: `/` reads; `/set?k=v` sets keys; `/delay?ms=&k=v` waits before setting (so requests overlap);
 * `/login?user=` regenerates and binds; `/destroy`; `/logout-others`. Errors answer 409 for a strict-mode conflict,
 * else 503, with the error's code.
 */
export async function startExpressApp(
  store: Store | unknown,
  options: { strict?: boolean; storeTimeout?: number } = {},
): Promise<ExpressApp> {
  const app = express()
  app.use(session({ secret: SECRET, store: store as Store, resave: false, saveUninitialized: false, ...options }))
  const data = (req: Request): Record<string, unknown> => {
    const { cookie: _, ...rest } = JSON.parse(JSON.stringify(req.session)) as Record<string, unknown>
    return rest
  }
  const s = (req: Request) => req.session as unknown as Record<string, unknown> & { setUser(u: string): void }
  app.get('/', (req, res) => void res.json({ id: req.sessionID, data: data(req) }))
  app.get(['/set', '/delay'], async (req, res) => {
    const ms = Number(req.query.ms ?? 0)
    if (ms > 0) await sleep(ms)
    for (const [key, value] of Object.entries(req.query)) if (key !== 'ms') s(req)[key] = value
    res.json({ id: req.sessionID, data: data(req) })
  })
  app.get('/login', async (req, res) => {
    await new Promise<void>((resolve, reject) => req.session.regenerate((e: unknown) => (e ? reject(e) : resolve())))
    s(req).user = String(req.query.user)
    s(req).setUser(String(req.query.user))
    res.json({ id: req.sessionID, data: data(req) })
  })
  app.get('/destroy', (req, res, next) => req.session.destroy((e: unknown) => (e ? next(e) : res.json({}))))
  app.get('/logout-others', async (req, res) => {
    const count = await (
      req.session as unknown as { destroyUserSessions(o: object): Promise<number> }
    ).destroyUserSessions({ exceptCurrent: true })
    res.json({ count })
  })
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const code = isSessionError(error) ? error.code : 'UNEXPECTED'
    res.status(code === 'SESSION_CONFLICT' ? 409 : 503).json({ code })
  })
  return serveJsonApp(app)
}
