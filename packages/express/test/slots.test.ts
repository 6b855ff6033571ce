// req.session, req.sessionID and req.sessionStore as accessors on Express's shared prototypes, and the response hook
// as its writeHead/end (src/internal/slots.ts): the same behaviour as own properties in every arrangement an app can
// make, through real Express servers.
import express from 'express'
import type { Express, NextFunction, Request, Response } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import session from '../src/index.js'
import { stateOf } from '../src/internal/request-state.js'
import { responseSlotsOf, slotsOf } from '../src/internal/slots.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve, setCookieOf } from './helpers.js'

type Data = Record<string, unknown>
/** What the counter route answers. */
type Counted = { views: number; id: string; store: boolean; ownReq: string[]; ownRes: string[] }
const counted = async (response: globalThis.Response): Promise<Counted> => (await response.json()) as Counted
const data = (req: Request): Data => req.session as unknown as Data

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

async function jarFor(app: Express): Promise<Jar> {
  const served = await serve(app)
  running.push(served)
  return new Jar(served)
}

/** Counts views in the session; answers what the request and response carry as own properties. */
function counter(req: Request, res: Response): void {
  const s = data(req)
  s.views = ((s.views as number | undefined) ?? 0) + 1
  res.json({
    views: s.views,
    id: req.sessionID,
    store: req.sessionStore !== undefined,
    ownReq: ['session', 'sessionID', 'sessionStore'].filter((k) => Object.hasOwn(req, k)),
    ownRes: ['writeHead', 'end'].filter((k) => Object.hasOwn(res, k)),
  })
}

/** A middleware that wraps res.end before the session middleware runs, as compression does. */
function wrapEnd(_req: Request, res: Response, next: NextFunction): void {
  const end = res.end
  res.end = function (this: Response, ...args: unknown[]) {
    res.setHeader('x-wrapped', 'yes')
    return (end as (...a: unknown[]) => Response).apply(this, args)
  } as typeof res.end
  next()
}

/**
 * Serves `app` with the counter at /views: its wrapper ran (x-wrapped is `marker`), the session took the closure
 * hook (own writeHead/end on the response) and still saved across two requests.
 */
async function expectWrappedAndCounted(app: Express, marker: string): Promise<void> {
  app.get('/views', counter)
  const jar = await jarFor(app)
  const first = await jar.request('/views')
  expect(first.headers.get('x-wrapped')).toBe(marker)
  expect(setCookieOf(first)).toBeDefined()
  expect(await first.json()).toMatchObject({ views: 1, ownRes: ['writeHead', 'end'] })
  expect(await (await jar.request('/views')).json()).toMatchObject({ views: 2 })
}

describe('session state on the prototypes', () => {
  // First in the file, so its first request is the first one ever through this module graph: the wrapper
  // captured Node's own end, before the prototype methods existed.
  it('falls back to wrapping a response that was wrapped before the session middleware', async () => {
    const app = express()
    app.use(wrapEnd)
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }))
    await expectWrappedAndCounted(app, 'yes')
  })

  it("falls back to wrapping when the app's response prototype overrides end and calls Node's own", async () => {
    const app = express()
    const { ServerResponse } = await import('node:http')
    // On app.response, not on each response: sess checks each prototype once.
    Object.defineProperty(app.response, 'end', {
      configurable: true,
      writable: true,
      value(this: Response, ...args: unknown[]) {
        this.setHeader('x-wrapped', 'proto')
        return (ServerResponse.prototype.end as (...a: unknown[]) => Response).apply(this, args)
      },
    })
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }))
    await expectWrappedAndCounted(app, 'proto')
  })

  it('adds no own property to req or res, and the session works across requests', async () => {
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }))
    app.get('/views', counter)
    const jar = await jarFor(app)
    const first = await jar.request('/views')
    const body = await counted(first)
    expect(body).toMatchObject({ views: 1, store: true, ownReq: [], ownRes: [] })
    expect(setCookieOf(first)).toMatch(/^connect\.sid=s%3A/)
    const second = await (await jar.request('/views')).json()
    expect(second).toMatchObject({ views: 2, id: body.id, ownReq: [], ownRes: [] })
  })

  it('keeps req.session for the parent app after a sub-app that ran the session middleware falls through', async () => {
    const sub = express()
    sub.use(session({ secret: SECRET, resave: false, saveUninitialized: false }))
    sub.get('/inside', counter)
    const app = express()
    app.use(sub)
    app.get('/after', counter)
    const jar = await jarFor(app)
    expect(await (await jar.request('/inside')).json()).toMatchObject({ views: 1 })
    expect(await (await jar.request('/after')).json()).toMatchObject({ views: 2, store: true })
    expect(await (await jar.request('/inside')).json()).toMatchObject({ views: 3 })
  })

  it('gives sub-app routes the session of a middleware mounted on the parent', async () => {
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }))
    const sub = express()
    sub.get('/views', counter)
    app.use('/sub', sub)
    const jar = await jarFor(app)
    expect(await (await jar.request('/sub/views')).json()).toMatchObject({ views: 1 })
    expect(await (await jar.request('/sub/views')).json()).toMatchObject({ views: 2, ownReq: [] })
  })

  it('leaves other apps of the process alone: their req.session is an ordinary property', async () => {
    // This app shares Express's prototypes with the session apps above (the accessors are installed by now).
    const other = express()
    other.use((req, _res, next) => {
      ;(req as unknown as { session: unknown }).session = { mine: true }
      next()
    })
    other.get('/', (req, res) => {
      res.json({ session: req.session, own: Object.hasOwn(req, 'session'), id: req.sessionID ?? null })
    })
    other.get('/none', (req, res) => res.json({ session: req.session ?? null }))
    const jar = await jarFor(other)
    expect(await (await jar.request('/')).json()).toEqual({ session: { mine: true }, own: true, id: null })
    const plain = express()
    plain.get('/none', (req, res) => res.json({ session: req.session ?? null, id: req.sessionID ?? null }))
    const jar2 = await jarFor(plain)
    expect(await (await jar2.request('/none')).json()).toEqual({ session: null, id: null })
  })

  it('runs a nested second session middleware as a no-op, and req.session = null destroys the session', async () => {
    const app = express()
    const mw = session({ secret: SECRET, resave: false, saveUninitialized: false })
    app.use(mw, mw)
    app.get('/views', counter)
    app.get('/drop', (req, res) => {
      ;(req as unknown as { session: unknown }).session = null
      res.json({ session: req.session })
    })
    const jar = await jarFor(app)
    const first = await counted(await jar.request('/views'))
    expect(first).toMatchObject({ views: 1 })
    expect(await (await jar.request('/views')).json()).toMatchObject({ views: 2, id: first.id })
    expect(await (await jar.request('/drop')).json()).toEqual({ session: null })
    // express-session's unset 'keep' (the default) keeps the stored session; the next request still finds it.
    expect(await (await jar.request('/views')).json()).toMatchObject({ views: 3, id: first.id })
  })

  it('removes req.session on destroy() and keeps req.sessionID readable', async () => {
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false }))
    app.get('/views', counter)
    app.get('/logout', (req, res, next) => {
      req.session.destroy((err) => {
        if (err) return next(err)
        res.json({ session: req.session ?? null, id: typeof req.sessionID })
      })
    })
    const jar = await jarFor(app)
    const first = await counted(await jar.request('/views'))
    const out = await jar.request('/logout')
    expect(await out.json()).toEqual({ session: null, id: 'string' })
    const again = await counted(await jar.request('/views'))
    expect(again.views).toBe(1)
    expect(again.id).not.toBe(first.id)
  })

  // The slots are a WeakMap value keyed by req, which V8's young collections hold strongly: a path from them back
  // to req would keep every finished request alive until a full collection (slots.ts). Reads after the response
  // still work (the session state stays), but the hook and anything holding req are gone.
  it('lets go of the request once the response has ended: the slots keep no path back to req', async () => {
    const seen: Request[] = []
    const responses: Response[] = []
    let ids = 0
    const app = express()
    app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, genid: () => `id-${++ids}` }))
    app.get('/views', (req, res) => {
      seen.push(req)
      responses.push(res)
      counter(req, res)
    })
    app.get('/read', (req, res) => {
      seen.push(req)
      responses.push(res)
      expect(responseSlotsOf(res)).toBe(slotsOf(req))
      res.json({ views: data(req).views })
    })
    const jar = await jarFor(app)
    await jar.request('/views')
    await jar.request('/views')
    expect(await (await jar.request('/read')).json()).toEqual({ views: 2 })
    expect(seen).toHaveLength(3)
    for (const req of seen) {
      const own = slotsOf(req)
      // The session state writes req.session/req.sessionID through the slots, not through req.
      expect(stateOf(own?.session as object)?.req).toBe(own)
      expect(data(req).views).toBeGreaterThan(0)
    }
    // After a synchronous save the hook stays (a later res.end is ignored, as during express-session's save), but
    // it reads through the slots and has let go of Express's next; after a read it has left the slots.
    const [first, second, read] = seen.map((req) => slotsOf(req))
    for (const own of [first, second]) {
      expect([own?.hook?.state, own?.hook?.holder, own?.hook?.next]).toEqual(['saved', own, undefined])
    }
    expect(read?.hook).toBeUndefined()
    // A response is in the table of responses in flight until it has ended; a saved one stays, to ignore a later end.
    expect(responses.map((res) => responseSlotsOf(res) !== undefined)).toEqual([true, true, false])
  })
})
