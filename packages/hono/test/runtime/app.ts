import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import { memoryStore } from '@sess/store-memory'
import type { SessionEnv, Store } from '../../src/index.js'
import { sealedCookie, session } from '../../src/index.js'

/**
 * The end-to-end app of the runtime matrix (scripts/runtimes): one small Hono app, served unchanged by Node, Bun,
 * Deno and workerd through the tiny entry files next to it, and driven over HTTP by scripts/runtimes/e2e.mjs.
 * The same routes are mounted once per way of keeping sessions:
 * - `/memory/*`: a signed id cookie, records in @sess/store-memory;
 * - `/sealed/*`: sealed-cookie mode (`store: sealedCookie()`), the whole session encrypted in the cookie, no store;
 * - `/kv/*` (when the entry passes a store): a signed id cookie, records in a store that outlives the process
 *   (@sess/store-unstorage over the file system on Node and Bun, Deno KV on Deno).
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
  /** The persistent store of `/kv`, and the name of what backs it (the runner checks it). */
  kv?: { store: Store; driver: string }
}

/** A secret for tests only. */
export const TEST_SECRET = 'runtime-matrix-secret-runtime-matrix-secret'

type AppEnv = SessionEnv<AppData>

/** The routes the scenarios drive, behind one session middleware. */
function sessionRoutes(middleware: MiddlewareHandler<AppEnv>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(middleware)
  const view = (c: Context<AppEnv>) => {
    const s = c.get('session')
    return { id: s.id, isNew: s.isNew, user: s.get('user') ?? null, views: s.get('views') ?? 0 }
  }
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

export function createApp(options: AppOptions): Hono {
  const secret = options.secret ?? TEST_SECRET
  const app = new Hono()
  app.onError((err, c) => c.json({ error: String(err) }, 500))
  app.get('/runtime', (c) => c.json({ runtime: options.runtime, kv: options.kv?.driver ?? null }))
  // Each mount has its own prefix, so each middleware only ever sees its own routes.
  app.route('/memory', sessionRoutes(session<AppData>({ secret, store: memoryStore() })))
  app.route('/sealed', sessionRoutes(session<AppData>({ secret, store: sealedCookie() })))
  if (options.kv) app.route('/kv', sessionRoutes(session<AppData>({ secret, store: options.kv.store })))
  return app
}
