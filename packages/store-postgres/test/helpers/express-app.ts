import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Store } from '@sess/core'
import { isSessionError } from '@sess/core'
import session from '@sess/express'
import express from 'express'
import type { NextFunction, Request, Response } from 'express'

export const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

/** What a test app answers. */
export interface Reply {
  status: number
  body: { id?: string; data?: Record<string, unknown>; code?: string; count?: number }
  /** The `name=value` of the cookie the response set, else the one sent. */
  cookie: string | undefined
  ms: number
}

/** An Express app with @sess/express on `store`, listening on a free loopback port. */
export interface ExpressApp {
  request(path: string, cookie?: string): Promise<Reply>
  close(): Promise<void>
}

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
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    async request(path, cookie) {
      const started = Date.now()
      const response = await fetch(url + path, { headers: cookie ? { cookie } : {} })
      const body = (await response.json()) as Reply['body']
      const set = response.headers.getSetCookie()[0]?.split(';')[0]
      return { status: response.status, body, cookie: set ?? cookie, ms: Date.now() - started }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
