// Fastify 5 apps. @fastify/session runs with its default store, once with its default `rolling: true` (a store write
// and a cookie on every request) and once with `rolling: false`; saveUninitialized is false everywhere so that an
// untouched request creates nothing, as sess does by default.
import Fastify from 'fastify'
import { COOKIE_MAX_AGE_MS, SECRET } from '../variants.mjs'

const zero = async () => ({ n: 0 })

function routes(app, { session }) {
  app.get('/bare', zero)
  app.get('/untouched', zero)
  if (!session) {
    app.get('/read', zero)
    app.get('/write', zero)
    return
  }
  app.get('/read', async (request) => ({ n: request.session.get('n') ?? 0 }))
  app.get('/write', async (request) => {
    const n = (request.session.get('n') ?? 0) + 1
    request.session.set('n', n)
    return { n }
  })
  app.get('/destroy', async (request) => {
    await request.session.destroy()
    return { n: 0 }
  })
}

async function listen(app) {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return app.server
}

async function peer(options) {
  const { default: cookiePlugin } = await import('@fastify/cookie')
  const { default: session } = await import('@fastify/session')
  const app = Fastify()
  await app.register(cookiePlugin)
  await app.register(session, {
    secret: SECRET,
    saveUninitialized: false,
    cookie: { secure: false, maxAge: COOKIE_MAX_AGE_MS },
    ...options,
  })
  routes(app, { session: true })
  return listen(app)
}

async function sess(store) {
  const { sessionPlugin } = await import('@sess/fastify')
  const app = Fastify()
  // sess's own semantics, as measured before @sess/fastify took @fastify/session's defaults (a record and a cookie for
  // every visitor, a Set-Cookie on every response, no cookie over plain HTTP).
  await app.register(sessionPlugin, {
    secret: SECRET,
    store,
    saveUninitialized: false,
    rolling: false,
    cookie: { maxAge: COOKIE_MAX_AGE_MS, secure: 'auto', sameSite: 'lax' },
  })
  routes(app, { session: true })
  return listen(app)
}

export const apps = {
  async 'fastify-floor'() {
    const app = Fastify()
    const session = { get: () => 0 }
    app.decorateRequest('session', null)
    app.addHook('preHandler', async (request) => {
      await Promise.resolve()
      request.session = session
    })
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.url === '/write') reply.header('set-cookie', FLOOR_COOKIE)
      done(null, payload)
    })
    app.get('/read', async (request) => ({ n: request.session.get('n') ?? 0 }))
    app.get('/write', async (request) => ({ n: (request.session.get('n') ?? 0) + 1 }))
    return listen(app)
  },
  async 'fastify-bare'() {
    const app = Fastify()
    routes(app, { session: false })
    return listen(app)
  },
  'fastify-session-rolling': () => peer({ rolling: true }),
  'fastify-session-norolling': () => peer({ rolling: false }),
  async 'fastify-session-redis'(ctx) {
    // @fastify/session takes express-session-style callback stores; connect-redis is one. Its default rolling.
    const { RedisStore } = await import('connect-redis')
    return peer({ rolling: true, store: new RedisStore({ client: await ctx.redis(), prefix: 'fs:' }) })
  },
  async 'fastify-sess-memory'() {
    const { memoryStore } = await import('@sess/store-memory')
    return sess(memoryStore())
  },
  async 'fastify-sess-redis'(ctx) {
    const { redisStore } = await import('@sess/store-redis')
    return sess(redisStore({ client: await ctx.redis(), prefix: 'sf:' }))
  },
}
