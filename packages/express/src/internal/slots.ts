import type { ServerResponse } from 'node:http'
import type { Originals } from './prototypes.js'
import { nodeResponse, requestChain, responseChain } from './prototypes.js'
import type { ResponseHook } from './response.js'
import { endWith, writeHeadWith } from './response.js'

/**
 * Where one request's `req.session`, `req.sessionID` and `req.sessionStore` live, and its response hook.
 *
 * Why not plain properties: Express gives every request and response its app's prototype
 * (`Object.setPrototypeOf`), after which V8 builds a new hidden class for each property added to the object, and
 * the code that reads `req` and `res` afterwards (Express's, Node's, the app's) goes megamorphic. Measured with
 * instruction counts (valgrind) on a read: the express-session pattern (three properties on `req`, `writeHead` and
 * `end` wrapped on `res`) costs about 160 k instructions (~30 µs) per request over the bare route; the same work
 * through accessors and methods on the shared prototypes, with the state in one WeakMap entry, about 70 k.
 *
 * So, once per Express base prototype (the object right above Node's `IncomingMessage.prototype` /
 * `ServerResponse.prototype`, which every Express app's `request`/`response` inherit from), sess defines:
 * - accessors `session`, `sessionID`, `sessionStore` that read and write the request's slots; on a request sess
 *   did not attach to (another app, another session middleware), a write defines an ordinary own property, so such
 *   requests behave exactly as before;
 * - `writeHead` and `end` that run the request's response hook when it has one, else go straight to Node's.
 * A request whose response was wrapped before sess ran (e.g. compression mounted first), or that does not inherit
 * from an Express prototype, gets own properties and closures instead: the same behaviour, the old cost.
 *
 * Nothing reachable from a request's slots may point back at the request once its response has ended: V8's young
 * collections hold a WeakMap's values strongly, so a value that reaches its own key keeps the whole request alive
 * (and promotes it to the old generation) until a full collection. Measured on a read: 3.7 KB more promoted per
 * request and the young-collection time doubled (+16 µs per request). So the session state keeps the slots, not
 * the request, and the response hook (which needs the request) leaves the slots when the response has ended.
 *
 * Why sess reads and writes `req` and `res` as little as it can: after Express's `setPrototypeOf`, the first property
 * added to a request or response gives it a hidden class of its own (the class it got from `setPrototypeOf` takes no
 * transitions), so every request has a new one and every property access to it from shared code misses V8's inline
 * caches and its megamorphic cache alike: about 90 ns for an own property and 250 ns or more for one found on the
 * prototype chain, against 15 ns on a stable class (measured on Node 20). `req.session` and the other slots are
 * therefore read and written here through the WeakMap (and `res` finds its hook in a second one, which responses
 * leave when they end), not through `req`/`res`.
 *
 * Since 2026-12-03 the middleware first puts `req` and `res` into dictionary mode on V8 before 13 (shape.ts; V8 13
 * shares the classes by itself), after which requests share a hidden class again and these misses are gone for the
 * code that runs after it. The slots stay: with both in dictionary mode, a build that took the own-property path
 * (own properties on `req`, closures on `res`) for every request measured the same as the accessors within the
 * host's noise (`ab.mjs`, 7 rounds: read 98.6 against 94.8 µs, write 113 against 105), and the accessors leave the
 * request's own properties as Express made them.
 */
export class Slots {
  session: unknown = undefined
  sessionID: unknown = undefined
  sessionStore: unknown = undefined
  /** The response hook, from the load until the response has ended. */
  hook: ResponseHook | undefined = undefined
}

const slots = new WeakMap<object, Slots>()
/**
 * Responses to their request's slots, in a table of their own: a response leaves it when it has ended, so the table
 * stays as small as the requests in flight. A WeakMap grows until a collection empties it, and each `set` then costs
 * about five times a `set` into a table whose entries are deleted (Node 20); requests keep their entries after the
 * response (the app may read `req.session` later), responses need them only until then.
 */
const responses = new WeakMap<object, Slots>()
const installed = new WeakSet<object>()
const KEYS = ['session', 'sessionID', 'sessionStore'] as const

function accessor(key: (typeof KEYS)[number]): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: false,
    get(this: object) {
      return slots.get(this)?.[key]
    },
    set(this: object, value: unknown) {
      const own = slots.get(this)
      if (own !== undefined) own[key] = value
      else Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true })
    },
  }
}

function install(reqBase: object, resBase: object): void {
  if (!installed.has(reqBase)) {
    installed.add(reqBase)
    for (const key of KEYS) Object.defineProperty(reqBase, key, accessor(key))
  }
  if (!installed.has(resBase)) {
    installed.add(resBase)
    const hooked = { writeHead: writeHeadWith, end: endWith }
    for (const name of ['writeHead', 'end'] as const) {
      const run = hooked[name]
      // Node's method is looked up on each call, so a later patch of ServerResponse.prototype is honoured.
      const method = function (this: ServerResponse, ...args: unknown[]) {
        const hook = responses.get(this)?.hook
        return hook === undefined ? nodeResponse[name].apply(this, args) : run(this, hook, args)
      }
      Object.defineProperty(method, 'name', { value: name })
      Object.defineProperty(resBase, name, { configurable: true, writable: true, value: method })
    }
  }
}

/**
 * Prepares a request for the prototype accessors: its slots, where its `session`, `sessionID` and `sessionStore`
 * live, or undefined (own properties) when the request or response does not inherit from Express's prototypes, or
 * the request had own properties of these names before sess ran.
 */
export function attachSlots(req: object, res: ServerResponse): Slots | undefined {
  const reqBase = requestChain(req).base
  const resBase = responseChain(res).base
  if (reqBase === undefined || resBase === undefined) return undefined
  install(reqBase, resBase)
  let own = slots.get(req)
  if (own === undefined) {
    // An own property of one of these names set before sess ran would shadow its accessor: own properties then.
    if (Object.hasOwn(req, 'sessionID') || Object.hasOwn(req, 'sessionStore') || Object.hasOwn(req, 'session'))
      return undefined
    own = new Slots()
    slots.set(req, own)
  }
  return own
}

/**
 * Lets the response's hook go through the prototype methods: Node's `writeHead` and `end` to go on with, with `res`
 * registered to find its slots; undefined when the hook must wrap the response with closures instead (something
 * wrapped `writeHead`/`end` before sess ran, on the response or its prototype, and may call Node's directly; or
 * another hook is in the slots already).
 */
export function prototypeHook(own: Slots, res: ServerResponse): Originals | undefined {
  const chain = responseChain(res)
  if (chain.base === undefined || !chain.intact || own.hook !== undefined) return undefined
  if (Object.hasOwn(res, 'writeHead') || Object.hasOwn(res, 'end')) return undefined
  responses.set(res, own)
  return nodeResponse
}

/** The response has ended: its hook is let go of, and the response leaves the table of responses in flight. */
export function releaseResponse(own: Slots, hook: ResponseHook, res: ServerResponse): void {
  if (own.hook === hook) own.hook = undefined
  responses.delete(res)
}

/** The request's slots, if sess attached it to them (tests look at what they keep). */
export function slotsOf(req: object): Slots | undefined {
  return slots.get(req)
}

/** The slots a response finds its hook in, while it is in the table of responses in flight (tests). */
export function responseSlotsOf(res: object): Slots | undefined {
  return responses.get(res)
}

/**
 * `delete req.session`, which on an accessor would do nothing. `holder` is what the request's session state keeps:
 * the request's slots, or the request itself when it has own properties.
 */
export function removeSession(holder: { session?: unknown }): void {
  const own = holder instanceof Slots ? holder : slots.get(holder)
  if (own !== undefined) own.session = undefined
  else delete holder.session
}
