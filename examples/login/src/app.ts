// The login demo: sign in and out with HTML forms, CSRF tokens bound to the session, flash messages, and a
// "your devices" page. Never listens (see server.ts).
import session, { isStoreError } from '@sess/express'
import type { SessionOptions } from '@sess/express'
import { memoryStore } from '@sess/store-memory'
import express from 'express'
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express'
import { CsrfError, csrfToken, verifyCsrf } from './csrf.js'
import { listDevices, signOutDevice } from './devices.js'
import type { Flash } from './flash.js'
import { flash, takeFlash } from './flash.js'
import type { User } from './users.js'
import { authenticate } from './users.js'
import { devicesPage, errorPage, homePage, loginPage } from './views.js'

declare module '@sess/express' {
  interface SessionData {
    user: User
    csrf: string
    flash: Flash[]
  }
}

/** What differs between runs of the demo. */
export interface LoginAppOptions {
  /** Where sessions live; it needs the per-user index (memory, Redis, MongoDB...). @default memoryStore() */
  store?: SessionOptions['store']
  /** Signs the cookies. @default process.env.SESSION_SECRET, or a development-only value */
  secret?: string
}

/** The demo app. */
export function createLoginApp(options: LoginAppOptions = {}): Express {
  const app = express()
  app.use(
    session({
      secret: options.secret ?? process.env.SESSION_SECRET ?? 'development-only-secret-change-me-0123456789',
      store: options.store ?? memoryStore(),
      name: 'sid',
      resave: false,
      saveUninitialized: false,
      // "Your devices" shows each session's browser: sess records the User-Agent of a new session (opt-in).
      device: { userAgent: true },
      // secure: 'auto' sends the cookie with Secure over HTTPS (behind a proxy, set app.set('trust proxy', 1)).
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 7 * 24 * 3600 * 1000 },
    }),
  )
  app.use(express.urlencoded({ extended: false, limit: '4kb' }))
  app.use(verifyCsrf)

  const render = (req: Request, res: Response, page: (ctx: Parameters<typeof homePage>[0]) => string): void => {
    res.type('html').send(page({ user: req.session.user, csrf: csrfToken(req), flash: takeFlash(req) }))
  }
  const signedIn: RequestHandler = (req, res, next) => {
    if (req.session.user) return next()
    flash(req, 'error', 'Please sign in first.')
    res.redirect(303, '/login')
  }
  const signOut = async (req: Request, text: string): Promise<void> => {
    // A fresh session under a new id (the old record is deleted), carrying only the goodbye message.
    await req.session.regenerate()
    flash(req, 'info', text)
  }

  app.get('/', (req, res) => render(req, res, homePage))

  app.get('/login', (req, res) => {
    if (req.session.user) return res.redirect(303, '/')
    render(req, res, loginPage)
  })

  app.post('/login', async (req, res) => {
    const username = String(req.body.username ?? '')
    const user = authenticate(username, String(req.body.password ?? ''))
    if (!user) {
      flash(req, 'error', 'Unknown username or wrong password.')
      return res.redirect(303, '/login')
    }
    // A new session id on every privilege change: a session id planted before login (fixation) is worth nothing.
    await req.session.regenerate()
    req.session.setUser(user.id)
    req.session.user = user
    flash(req, 'info', `Signed in as ${user.name}.`)
    res.redirect(303, '/')
  })

  app.post('/logout', async (req, res) => {
    await signOut(req, 'You are signed out.')
    res.redirect(303, '/login')
  })

  app.get('/devices', signedIn, async (req, res) => {
    const devices = await listDevices(req)
    render(req, res, (ctx) => devicesPage(ctx, devices))
  })

  app.post('/devices/sign-out', signedIn, async (req, res) => {
    const handle = String(req.body.device ?? '')
    const current = (await listDevices(req)).find((d) => d.handle === handle)?.current
    if (current) {
      await signOut(req, 'You are signed out.')
      return res.redirect(303, '/login')
    }
    const found = await signOutDevice(req, handle)
    flash(req, 'info', found ? 'That device is signed out.' : 'That device was already signed out.')
    res.redirect(303, '/devices')
  })

  app.post('/devices/sign-out-others', signedIn, async (req, res) => {
    const count = await req.session.destroyUserSessions({ exceptCurrent: true })
    flash(req, 'info', count === 1 ? 'Signed out 1 other device.' : `Signed out ${count} other devices.`)
    res.redirect(303, '/devices')
  })

  app.use(errors)
  return app
}

/** Clear pages for the errors a visitor can meet: a stale form (403), the session store unreachable (503). */
const errors: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err)
  if (err instanceof CsrfError) {
    res
      .status(403)
      .type('html')
      .send(errorPage(403, 'Please try again', `${err.message} Reload the page and resubmit.`))
  } else if (isStoreError(err)) {
    res
      .status(503)
      .set('Retry-After', '5')
      .type('html')
      .send(
        errorPage(
          503,
          'Sessions are unavailable',
          'The session store cannot be reached right now. Please try again in a few seconds.',
        ),
      )
  } else {
    console.error(err)
    res
      .status(500)
      .type('html')
      .send(errorPage(500, 'Something went wrong', 'The error was logged.'))
  }
}
