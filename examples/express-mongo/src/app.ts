// Sessions in MongoDB behind Express: a views counter, login with a per-user binding, "your devices" and
// "sign out everywhere else". The store comes from the caller, so the app never connects (see server.ts).
import session from '@sess/express'
import type { MongoStore } from '@sess/store-mongo'
import express from 'express'
import type { Express } from 'express'

declare module '@sess/express' {
  interface SessionData {
    views: number
    user: string
  }
}

/** The example app on `store`. Never listens and never connects: server.ts (or a test) does both. */
export function createApp(store: MongoStore): Express {
  const app = express()
  app.use(
    session({
      secret: process.env.SESSION_SECRET ?? 'a-development-secret-of-at-least-32-chars',
      store,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 7 * 24 * 3600_000 },
    }),
  )

  app.get('/', (req, res) => {
    req.session.views = (req.session.views ?? 0) + 1
    res.type('text').send(`Views: ${req.session.views}`)
  })

  app.post('/login', async (req, res) => {
    const user = typeof req.query.user === 'string' ? req.query.user : 'ada'
    // A new id at login, so an id known before it is worthless afterwards (fixation).
    await req.session.regenerate({ keepData: true })
    req.session.user = user
    req.session.setUser(user)
    res.type('text').send(`Logged in as ${user}`)
  })

  app.get('/me', (req, res) => {
    res.type('text').send(`User: ${req.session.user ?? 'none'}`)
  })

  // Session ids are secrets: the list says which entry is this browser, never the ids themselves.
  app.get('/devices', async (req, res) => {
    if (req.session.user === undefined) return void res.status(401).type('text').send('Log in first')
    const devices = await req.session.listUserSessions()
    res.json(
      devices.map((d) => ({ current: d.current, since: new Date(d.createdAt), lastSeen: new Date(d.lastSeenAt) })),
    )
  })

  app.post('/logout-everywhere-else', async (req, res) => {
    if (req.session.user === undefined) return void res.status(401).type('text').send('Log in first')
    const count = await req.session.destroyUserSessions({ exceptCurrent: true })
    res.type('text').send(`Signed out ${count} other session(s)`)
  })

  app.post('/logout', async (req, res) => {
    await req.session.destroy()
    res.type('text').send('Logged out')
  })

  return app
}
