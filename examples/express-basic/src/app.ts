// express-session's README examples, with only the module name changed.
import session from '@sess/express'
import type { SessionOptions } from '@sess/express'
import express from 'express'
import type { Express } from 'express'

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

  return app
}

/** The app on the memory store. */
export const app: Express = createApp()
