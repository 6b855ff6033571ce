// Requests and responses through the session middleware share one hidden class per app in V8 (src/internal/shape.ts),
// with every property, value and string key order as Node and Express left them. Through real Express servers: the
// layout in a child process of its own (fixtures/layout.mjs, the built package), where nothing of the test runner
// shares the heap; key order and the unit's rules here.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import express from 'express'
import type { Request, Response } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import session from '../src/index.js'
import { gainsFromReshaping, Reshape, reshaping } from '../src/internal/shape.js'
import type { Served } from './helpers.js'
import { Jar, SECRET, serve } from './helpers.js'

// V8's own view of an object's layout (the function is compiled after the flag is set, so the syntax is allowed).
setFlagsFromString('--allow-natives-syntax')
const fast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean

const run = promisify(execFile)
const fixture = fileURLToPath(new URL('./fixtures/layout.mjs', import.meta.url))
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))

const running: Served[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()))
})

/** What a route sees of its request: string keys in order, and its symbols with the kind of their values. */
type Seen = { keys: string[]; symbols: string[] }

async function requests(withSession: boolean): Promise<Seen[]> {
  const app = express()
  // Without sess, a middleware that only passes on: the router then adds the same properties in the same order.
  app.use(withSession ? session({ secret: SECRET, resave: false, saveUninitialized: false }) : (_q, _s, next) => next())
  const seen: Seen[] = []
  app.get('/', (req: Request, res: Response) => {
    seen.push({
      keys: Object.keys(req),
      symbols: Object.getOwnPropertySymbols(req)
        .map((s) => `${s.description}: ${typeof (req as unknown as Record<symbol, unknown>)[s]}`)
        .sort(),
    })
    res.json({ ok: true })
  })
  const served = await serve(app)
  running.push(served)
  await new Jar(served).request('/')
  return seen
}

/** Consecutive pairs of 200 requests sharing a hidden class, and objects with fast properties (the fixture's). */
type Layout = { pairs: number; sharedRequests: number; sharedResponses: number; fast: number }

describe.skipIf(!built && !process.env.CI)(
  'request and response layout (the built package, in a child process)',
  () => {
    it('on V8 before 13 every Express request has a class of its own without sess, and shares one through it', async () => {
      const { stdout } = await run(process.execPath, ['--allow-natives-syntax', fixture], { timeout: 30_000 })
      const { without, with: through } = JSON.parse(stdout) as { without: Layout; with: Layout }
      expect([without.pairs, without.fast]).toEqual([199, 200])
      if (reshaping) {
        // The premise: no two consecutive requests (or responses) share a class.
        expect([without.sharedRequests, without.sharedResponses]).toEqual([0, 0])
        // Through sess: all in dictionary mode, sharing one class (V8 forgets such classes at a full collection, so a
        // pair may straddle one).
        expect(through.fast).toBe(0)
        expect(Math.min(through.sharedRequests, through.sharedResponses)).toBeGreaterThanOrEqual(190)
      } else {
        // V8 13 shares the classes on its own; sess leaves the objects as they are.
        expect(through).toEqual(without)
      }
    }, 40_000)
  },
)

describe('request and response layout', () => {
  it('reshapes on V8 before 13 only (Node 20 to 23), never on Bun or another engine', () => {
    expect(
      [
        { v8: '11.3.244.8-node.38' },
        { v8: '12.9.202.28-node.14' },
        { v8: '13.6.233.17-node.53' },
        { v8: '14.1.146.11-node.27' },
        { v8: '12.4.254.14-node.12', bun: '1.3.0' },
        {},
        undefined,
      ].map(gainsFromReshaping),
    ).toEqual([true, true, false, false, false, false, false])
    // This process: the Node the tests run on.
    expect(reshaping).toBe(Number.parseInt(process.versions.v8, 10) < 13)
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
