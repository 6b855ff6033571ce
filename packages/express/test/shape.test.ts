// Requests and responses through the session middleware share one hidden class per app in V8 (src/internal/shape.ts),
// with every property, value and string key order as Node and Express left them. Through a real Express server.
import { setFlagsFromString } from 'node:v8'
import express from 'express'
import type { Request, Response } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import session from '../src/index.js'
import { Reshape } from '../src/internal/shape.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve } from './helpers.js'

// V8's own view of an object's layout (the functions are compiled after the flag is set, so the syntax is allowed).
setFlagsFromString('--allow-natives-syntax')
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean
const fast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

/** What a route sees of its request and response: layout, string keys, symbols and their values. */
type Seen = { req: Request; res: Response; keys: string[]; symbols: string[]; fast: [boolean, boolean] }

function snapshot(req: Request, res: Response): Seen {
  return {
    req,
    res,
    keys: Object.keys(req),
    symbols: Object.getOwnPropertySymbols(req)
      .map((s) => `${s.description}: ${typeof (req as unknown as Record<symbol, unknown>)[s]}`)
      .sort(),
    fast: [fast(req), fast(res)],
  }
}

async function requests(withSession: boolean, count = 2): Promise<Seen[]> {
  const app = express()
  // Without sess, a middleware that only passes on: the router then adds the same properties in the same order.
  app.use(withSession ? session({ secret: SECRET, resave: false, saveUninitialized: false }) : (_q, _s, next) => next())
  const seen: Seen[] = []
  app.get('/', (req, res) => {
    seen.push(snapshot(req, res))
    res.json({ ok: true })
  })
  const served = await serve(app)
  running.push(served)
  const jar = new Jar(served)
  for (let i = 0; i < count; i++) await jar.request('/')
  return seen
}

/** How many consecutive pairs of requests (and of responses) share a hidden class. */
function shared(seen: Seen[]): [number, number] {
  const pairs = seen.slice(1).map((b, i) => [seen[i] as Seen, b] as const)
  return [
    pairs.filter(([a, b]) => sameMap(a.req, b.req)).length,
    pairs.filter(([a, b]) => sameMap(a.res, b.res)).length,
  ]
}

describe('request and response layout', () => {
  it('without sess, every Express request and response has a hidden class of its own (the cost shape.ts removes)', async () => {
    expect(shared(await requests(false, 6))).toEqual([0, 0])
  })

  it('through sess, requests share one hidden class and responses another, in dictionary mode', async () => {
    const seen = await requests(true, 6)
    // V8 forgets its shared dictionary-mode classes at a full collection, so a pair may straddle one.
    const [req, res] = shared(seen)
    expect([req >= 3, res >= 3]).toEqual([true, true])
    expect(seen.map((s) => s.fast)).toEqual(seen.map(() => [false, false]))
  })

  it('keeps every string key in its order, and every symbol with a value of its kind', async () => {
    const [plain] = (await requests(false)) as [Seen]
    const [reshaped] = (await requests(true)) as [Seen]
    // The same keys in the same order (sess adds no own property to an Express request).
    expect(reshaped.keys).toEqual(plain.keys)
    expect(reshaped.symbols).toEqual(plain.symbols)
    expect(reshaped.symbols.length).toBeGreaterThan(0)
  })

  it('moves only a configurable data property, keeping its attributes, and leaves other objects alone', () => {
    const key = Symbol('first')
    const reshape = new Reshape()
    const obj: Record<string | symbol, unknown> = {}
    Object.defineProperty(obj, key, { value: 1, writable: false, enumerable: false, configurable: true })
    obj.a = 1
    obj.b = 2
    reshape.run(obj)
    expect(Object.getOwnPropertyDescriptor(obj, key)).toEqual({
      value: 1,
      writable: false,
      enumerable: false,
      configurable: true,
    })
    expect([Object.keys(obj), fast(obj)]).toEqual([['a', 'b'], false])
    // A non-configurable first symbol: the object is left as it is (delete would fail).
    const fixed: Record<string | symbol, unknown> = {}
    Object.defineProperty(fixed, key, { value: 2, configurable: false })
    fixed.a = 1
    fixed.b = 2
    reshape.run(fixed)
    expect([Object.getOwnPropertyDescriptor(fixed, key)?.value, fast(fixed)]).toEqual([2, true])
    // A non-extensible object keeps its property (it could not be defined again once deleted).
    const closed: Record<string | symbol, unknown> = {}
    Object.defineProperty(closed, key, { value: 3, configurable: true })
    closed.a = 1
    closed.b = 2
    Object.preventExtensions(closed)
    reshape.run(closed)
    expect(Object.getOwnPropertyDescriptor(closed, key)?.value).toBe(3)
    // An object without that symbol, or without any, is left alone too.
    const none = { a: 1, b: 2 }
    new Reshape().run(none)
    reshape.run(none)
    expect([Object.keys(none), fast(none)]).toEqual([['a', 'b'], true])
  })
})
