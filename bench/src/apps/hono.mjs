// Hono apps on @hono/node-server. hono-sessions runs with its MemoryStore and an encryptionKey (its README calls the
// key "recommended" for server stores); @hono/session runs in its default mode, the data in an encrypted JWE cookie.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { FLOOR_COOKIE, HEX_SECRET, IDLE_SECONDS, SECRET } from '../variants.mjs'

const zero = (c) => c.json({ n: 0 })

/** @param {{ get(c): unknown, set?(c, n: number): unknown, increment?(c): Promise<number>, destroy?(c): unknown } | undefined} s */
function routes(app, s) {
  app.get('/bare', zero)
  app.get('/untouched', zero)
  if (!s) {
    app.get('/read', zero)
    app.get('/write', zero)
    return app
  }
  app.get('/read', async (c) => c.json({ n: (await s.get(c)) ?? 0 }))
  app.get('/write', async (c) => {
    if (s.increment) return c.json({ n: await s.increment(c) })
    const n = ((await s.get(c)) ?? 0) + 1
    await s.set(c, n)
    return c.json({ n })
  })
  if (s.destroy) {
    app.get('/destroy', async (c) => {
      await s.destroy(c)
      return c.json({ n: 0 })
    })
  }
  return app
}

function listen(app) {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server))
  })
}

const sessAccess = {
  get: (c) => c.get('session').get('n'),
  set: (c, n) => c.get('session').set('n', n),
  destroy: (c) => c.get('session').destroy(),
}

async function sess(store) {
  const { session } = await import('@sess/hono')
  const app = new Hono()
  app.use(session({ secret: SECRET, store }))
  return listen(routes(app, sessAccess))
}

export const apps = {
  async 'hono-floor'() {
    const app = new Hono()
    const session = { get: () => 0 }
    app.use(async (c, next) => {
      await Promise.resolve()
      c.set('session', session)
      await next()
      if (c.req.path === '/write') c.res.headers.append('Set-Cookie', FLOOR_COOKIE)
    })
    app.get('/read', async (c) => c.json({ n: (await c.get('session').get('n')) ?? 0 }))
    app.get('/write', async (c) => c.json({ n: ((await c.get('session').get('n')) ?? 0) + 1 }))
    return listen(app)
  },
  async 'hono-bare'() {
    return listen(routes(new Hono(), undefined))
  },
  async 'hono-sessions-memory'() {
    const { sessionMiddleware, MemoryStore } = await import('hono-sessions')
    const app = new Hono()
    app.use(
      sessionMiddleware({
        store: new MemoryStore(),
        encryptionKey: SECRET,
        expireAfterSeconds: IDLE_SECONDS,
        cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
      }),
    )
    return listen(
      routes(app, {
        get: (c) => c.get('session').get('n'),
        set: (c, n) => c.get('session').set('n', n),
      }),
    )
  },
  async 'hono-session-jwe'() {
    const { useSession } = await import('@hono/session')
    const app = new Hono()
    app.use(useSession({ secret: HEX_SECRET, duration: { absolute: IDLE_SECONDS } }))
    return listen(
      routes(app, {
        get: async (c) => (await c.var.session.get())?.n,
        // One decrypt: update() reads the cookie itself, so a get() first would decrypt it twice.
        increment: async (c) => {
          let n = 0
          await c.var.session.update((data) => ({ ...data, n: (n = (data?.n ?? 0) + 1) }))
          return n
        },
      }),
    )
  },
  async 'hono-sess-memory'() {
    const { memoryStore } = await import('@sess/store-memory')
    return sess(memoryStore())
  },
  async 'hono-sess-sealed'() {
    const { sealedCookie, session } = await import('@sess/hono')
    const app = new Hono()
    app.use(session({ secret: SECRET, store: sealedCookie() }))
    return listen(routes(app, sessAccess))
  },
  async 'hono-sess-redis'(ctx) {
    const { redisStore } = await import('@sess/store-redis')
    return sess(redisStore({ client: await ctx.redis(), prefix: 'sh:' }))
  },
}
