// A Cloudflare Worker on Hono with @sess/hono: a views counter, login (a new session id) and logout (the session
// destroyed). The secret is read from the Worker's bindings per request; the store is handed in by worker.ts.
import type { SessionEnv, Store } from '@sess/hono'
import { session } from '@sess/hono'
import { Hono } from 'hono'

/** What this app keeps in a session. */
export interface AppData {
  views: number
  user: string
}

/** The bindings the app reads per request: `SESSION_SECRET` (`.dev.vars`, or `wrangler secret put`). */
export interface Bindings {
  SESSION_SECRET: string
}

export type AppEnv = SessionEnv<AppData> & { Bindings: Bindings }

export interface AppOptions {
  /** Where sessions live: Workers KV in worker.ts. A memory store would lose them between isolates. */
  store: Store
}

/** Builds the example app. Never serves anything by itself (see worker.ts). */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  // Bindings exist only per request on Workers; keys are still imported once per distinct secret.
  app.use(session<AppData>({ secret: (c) => (c.env as Bindings).SESSION_SECRET, store: options.store }))

  app.get('/', (c) => {
    const s = c.get('session')
    s.set('views', (s.get('views') ?? 0) + 1)
    return c.json({ views: s.get('views') })
  })

  app.get('/me', (c) => {
    const s = c.get('session')
    return c.json({ user: s.get('user') ?? null, views: s.get('views') ?? 0 })
  })

  app.post('/login', async (c) => {
    const user = c.req.query('user')
    if (!user) return c.json({ error: 'user is required' }, 400)
    const s = c.get('session')
    // A new session id on every privilege change defeats session fixation; the views counter comes along.
    await s.regenerate({ keepData: true })
    s.set('user', user)
    return c.json({ user })
  })

  app.post('/logout', async (c) => {
    await c.get('session').destroy()
    return c.json({ user: null })
  })

  return app
}
