// Express 5 apps. Every session variant gets the same options the express-session docs recommend for login
// sessions (resave: false, saveUninitialized: false, a one-day persistent cookie), so the comparison is like for like.
import express from 'express'
import { COOKIE_MAX_AGE_MS, FLOOR_COOKIE, SECRET } from '../variants.mjs'

const zero = (_req, res) => res.json({ n: 0 })
const cookie = { maxAge: COOKIE_MAX_AGE_MS }

function routes(app, { session }) {
  app.get('/bare', zero)
  app.get('/untouched', zero)
  if (!session) {
    app.get('/read', zero)
    app.get('/write', zero)
    return
  }
  app.get('/read', (req, res) => res.json({ n: req.session.n ?? 0 }))
  app.get('/write', (req, res) => {
    req.session.n = (req.session.n ?? 0) + 1
    res.json({ n: req.session.n })
  })
  app.get('/destroy', (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.json({ n: 0 })))
  })
}

async function listen(app) {
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject))
  return server
}

/** @type {Record<string, (ctx: { redis: () => Promise<import('redis').RedisClientType> }) => Promise<import('node:http').Server>>} */
export const apps = {
  async 'express-floor'() {
    const app = express()
    const session = { n: 0 }
    app.use((req, res, next) => {
      req.sessionStore = null
      const { writeHead, end } = res
      res.writeHead = function (...args) {
        if (req.path === '/write') this.appendHeader('Set-Cookie', FLOOR_COOKIE)
        return writeHead.apply(this, args)
      }
      res.end = function (...args) {
        return end.apply(this, args)
      }
      Promise.resolve().then(() => {
        req.session = session
        req.sessionID = 'floor'
        next()
      })
    })
    app.get('/read', (req, res) => res.json({ n: req.session.n }))
    app.get('/write', (req, res) => res.json({ n: req.session.n + 1 }))
    return listen(app)
  },
  async 'express-floor-proto'() {
    const app = express()
    const session = { n: 0 }
    const state = new WeakMap()
    const patched = new WeakSet()
    const patch = (req, res) => {
      const rq = Object.getPrototypeOf(req)
      if (!patched.has(rq)) {
        patched.add(rq)
        Object.defineProperty(rq, 'session', {
          configurable: true,
          get() {
            return state.get(this)?.session
          },
          set(v) {
            const s = state.get(this)
            if (s) s.session = v
            else
              Object.defineProperty(this, 'session', { value: v, writable: true, configurable: true, enumerable: true })
          },
        })
      }
      const rs = Object.getPrototypeOf(res)
      if (!patched.has(rs)) {
        patched.add(rs)
        const { writeHead } = rs
        rs.writeHead = function (...args) {
          const s = state.get(this.req)
          if (s !== undefined && this.req.path === '/write') this.appendHeader('Set-Cookie', FLOOR_COOKIE)
          return writeHead.apply(this, args)
        }
      }
    }
    app.use((req, res, next) => {
      patch(req, res)
      const s = { session: undefined }
      state.set(req, s)
      Promise.resolve().then(() => {
        s.session = session
        next()
      })
    })
    app.get('/read', (req, res) => res.json({ n: req.session.n }))
    app.get('/write', (req, res) => res.json({ n: req.session.n + 1 }))
    return listen(app)
  },
  async 'express-floor-dict'() {
    const app = express()
    // The same steps as @sess/express's shape.ts (not exported): the first own symbol, found once per kind of
    // object, deleted and defined again, which puts the object into dictionary mode (V8), every string key and
    // value left as it was. Nothing more per request than sess does, so sess's figure minus this one is its own.
    const reshaper = () => {
      let key
      return (obj) => {
        key ??= Object.getOwnPropertySymbols(obj)[0]
        if (key === undefined || !Reflect.isExtensible(obj)) return
        const descriptor = Reflect.getOwnPropertyDescriptor(obj, key)
        if (descriptor?.configurable && Reflect.deleteProperty(obj, key)) Reflect.defineProperty(obj, key, descriptor)
      }
    }
    const requests = reshaper()
    const responses = reshaper()
    app.use((req, res, next) => {
      requests(req)
      responses(res)
      next()
    })
    routes(app, { session: false })
    return listen(app)
  },
  async 'express-bare'() {
    const app = express()
    routes(app, { session: false })
    return listen(app)
  },
  async 'express-session-memory'() {
    const { default: session } = await import('express-session')
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie }))
    routes(app, { session: true })
    return listen(app)
  },
  async 'express-session-redis'(ctx) {
    const { default: session } = await import('express-session')
    const { RedisStore } = await import('connect-redis')
    const store = new RedisStore({ client: await ctx.redis(), prefix: 'es:' })
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie, store }))
    routes(app, { session: true })
    return listen(app)
  },
  async 'express-sess-memory'() {
    const { default: session } = await import('@sess/express')
    const app = express()
    // No store option: the drop-in's default, sess's bounded memory store (express-session's is a plain object).
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie }))
    routes(app, { session: true })
    return listen(app)
  },
  async 'express-session-pg'(ctx) {
    const { default: session } = await import('express-session')
    const { default: connectPgSimple } = await import('connect-pg-simple')
    const PgStore = connectPgSimple(session)
    // Its README's setup; no prune timer in a measured process (sess sweeps inside writes instead).
    const store = new PgStore({ pool: await ctx.postgres(), createTableIfMissing: true, pruneSessionInterval: false })
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie, store }))
    routes(app, { session: true })
    return listen(app)
  },
  async 'express-sess-pg'(ctx) {
    const { default: session } = await import('@sess/express')
    const { postgresStore } = await import('@sess/store-postgres')
    const store = postgresStore({ client: await ctx.postgres() })
    await store.ensureSchema()
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie, store }))
    routes(app, { session: true })
    return listen(app)
  },
  async 'express-sess-redis'(ctx) {
    const { default: session } = await import('@sess/express')
    const { redisStore } = await import('@sess/store-redis')
    const store = redisStore({ client: await ctx.redis(), prefix: 'sx:' })
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, cookie, store }))
    routes(app, { session: true })
    return listen(app)
  },
}
