import type { Context } from 'hono'
import { Hono } from 'hono'
import { memoryStore } from '@sess/store-memory'
import type { SessionEnv, Store } from '../../src/index.js'
import { session } from '../../src/index.js'

/**
 * The end-to-end app of the runtime matrix (scripts/runtimes): one small Hono app, served unchanged by Node, Bun,
 * Deno and workerd through the tiny entry files next to it, and driven over HTTP by scripts/runtimes/e2e.mjs.
 * It exposes the session id, which a real app must never do: the test compares ids across regenerate and destroy.
 */
export interface AppData {
  user: string
  views: number
}

export interface AppOptions {
  /** What the runtime says it is (e.g. `node v22.23.3`); the runner checks it reached the runtime it meant to. */
  runtime: string
  /** A static secret, or one read from the runtime's bindings per request (Workers' `c.env`). */
  secret?: string | ((c: Context) => string)
  /** @default memoryStore() */
  store?: Store
}

/** A secret for tests only. */
export const TEST_SECRET = 'runtime-matrix-secret-runtime-matrix-secret'

export function createApp(options: AppOptions): Hono<SessionEnv<AppData>> {
  const app = new Hono<SessionEnv<AppData>>()
  app.use(session<AppData>({ secret: options.secret ?? TEST_SECRET, store: options.store ?? memoryStore() }))
  app.onError((err, c) => c.json({ error: String(err) }, 500))

  const view = (c: Context<SessionEnv<AppData>>) => {
    const s = c.get('session')
    return { id: s.id, isNew: s.isNew, user: s.get('user') ?? null, views: s.get('views') ?? 0 }
  }

  app.get('/runtime', (c) => c.json({ runtime: options.runtime }))
  app.get('/me', (c) => c.json(view(c)))
  app.post('/login', (c) => {
    const s = c.get('session')
    s.set('user', c.req.query('user') ?? 'anonymous')
    s.set('views', 0)
    return c.json(view(c))
  })
  app.post('/visit', (c) => {
    const s = c.get('session')
    s.set('views', (s.get('views') ?? 0) + 1)
    return c.json(view(c))
  })
  app.post('/regenerate', async (c) => {
    await c.get('session').regenerate({ keepData: true })
    return c.json(view(c))
  })
  app.post('/logout', async (c) => {
    await c.get('session').destroy()
    return c.json(view(c))
  })
  return app
}
