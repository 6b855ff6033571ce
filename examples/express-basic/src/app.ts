// express-session's README examples, with only the module name changed.
import session, { isStoreError } from '@sess/express'
import type { SessionOptions } from '@sess/express'
import express from 'express'
import type { ErrorRequestHandler, Express } from 'express'

declare module '@sess/express' {
  interface SessionData {
    views: number
    user: string
  }
}

/** What differs between the demo and the Redis variant. */
export interface AppOptions {
  /** Where sessions live. @default the built-in memory store */
  store?: SessionOptions['store']
}

/** The example app: a views counter at `/`, and `/set`, `/get`, `/destroy`. Never listens (see server.ts). */
export function createApp(options: AppOptions = {}): Express {
  const app = express()
  app.use(
    session({
      secret: process.env.SESSION_SECRET ?? 'mySecretKey',
      store: options.store,
      resave: false,
      saveUninitialized: true,
      cookie: { secure: false, httpOnly: true, maxAge: 60_000 },
    }),
  )

  app.get('/', (req, res) => {
    req.session.views = (req.session.views || 0) + 1
    res.type('text').send(`Views: ${req.session.views}`)
  })

  app.get('/set', (req, res) => {
    req.session.user = typeof req.query.user === 'string' ? req.query.user : 'John Doe'
    res.type('text').send('Session data set')
  })

  app.get('/get', (req, res) => {
    res.type('text').send(`User: ${req.session.user ?? 'none'}`)
  })

  app.get('/destroy', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err)
      res.clearCookie('connect.sid')
      res.type('text').send('Session destroyed')
    })
  })

  app.use(errorPage)
  return app
}

/**
 * Store errors reach Express's error channel (`next(err)`). An unreachable store is a temporary condition: say so
 * with a 503 and a page a person can read, never the error's internals.
 */
const errorPage: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err)
  // A store's own error (connect-redis hands its client's on, as with express-session) or a SessionStoreError.
  const storeDown = isStoreError(err)
  if (storeDown) res.status(503).set('Retry-After', '5')
  else res.status(500)
  res
    .type('html')
    .send(
      storeDown
        ? '<!doctype html><title>Try again shortly</title><h1>Sessions are unavailable</h1><p>The session store cannot be reached right now. Please try again in a few seconds.</p>'
        : '<!doctype html><title>Error</title><h1>Something went wrong</h1>',
    )
}

/** The app on the memory store. */
export const app: Express = createApp()
