// Hono with @sess/hono: a views counter, login (a new session id) and logout (the session destroyed). The app is a
// plain fetch handler, so it runs unchanged on Bun, Deno or Workers; server.ts serves it on Node.
import type { SessionEnv, Store } from '@sess/hono'
import { session } from '@sess/hono'
import { memoryStore } from '@sess/store-memory'
import { Hono } from 'hono'

/** What this app keeps in a session. */
export interface AppData {
  views: number
  user: string
}

export interface AppOptions {
  /** At least 32 characters; the first signs, all verify (rotation). */
  secret: string | string[]
  /** Where sessions live. @default memoryStore() */
  store?: Store
}

/** Builds the example app. Never listens (see server.ts). */
export function createApp(options: AppOptions): Hono<SessionEnv<AppData>> {
  const app = new Hono<SessionEnv<AppData>>()
  app.use(session<AppData>({ secret: options.secret, store: options.store ?? memoryStore() }))

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
