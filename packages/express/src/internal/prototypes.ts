import { IncomingMessage, ServerResponse } from 'node:http'

/** Node's own `writeHead` and `end`, which sess's prototype methods call for a hooked response. */
export interface Originals {
  writeHead: (this: ServerResponse, ...args: unknown[]) => unknown
  end: (this: ServerResponse, ...args: unknown[]) => unknown
}

/** Node's response methods (every Express response's base inherits them). */
export const nodeResponse = ServerResponse.prototype as unknown as Originals

/** What sess needs to know about a request's prototype chain. */
export interface RequestChain {
  /** The prototype right above Node's `IncomingMessage.prototype` (Express's request), or undefined. */
  readonly base: object | undefined
  /** `secure` and `protocol` are that base's own getters, overridden nowhere below it (Express's, unchanged). */
  readonly expressSecure: boolean
  /** Some prototype on the chain has `cookies` or `signedCookies` (none does in Express; cookie-parser sets own ones). */
  readonly parserFields: boolean
}

/** What sess needs to know about a response's prototype chain. */
export interface ResponseChain {
  /** The prototype right above Node's `ServerResponse.prototype` (Express's response), or undefined. */
  readonly base: object | undefined
  /** Nothing below the base overrides `writeHead` or `end` (a wrapper there may call Node's directly). */
  readonly intact: boolean
}

/**
 * `compute` of an object's prototype, remembered for the last prototype seen: an app's requests (and its
 * responses) all share one, and every property access to a request or response costs a cache miss (slots.ts says
 * why), so the chain is walked once per prototype, not per request.
 */
class PerPrototype<T> {
  #proto: object | null = null
  #value: T | undefined = undefined
  constructor(readonly compute: (proto: object | null) => T) {}
  of(obj: object): T {
    const proto = Object.getPrototypeOf(obj) as object | null
    if (this.#value === undefined || proto !== this.#proto) {
      this.#proto = proto
      this.#value = this.compute(proto)
    }
    return this.#value
  }
}

/** The prototype on the chain from `proto` right below `root`, or undefined when `proto` is `root` (or none). */
function baseOf(proto: object | null, root: object): object | undefined {
  while (proto !== null && proto !== root) {
    const up = Object.getPrototypeOf(proto) as object | null
    if (up === root) return proto
    proto = up
  }
  return undefined
}

/** The object on `proto`'s chain that holds `key` itself. */
function ownerOf(proto: object | null, key: string): object | null {
  while (proto !== null && !Object.hasOwn(proto, key)) proto = Object.getPrototypeOf(proto) as object | null
  return proto
}

const hasGetter = (obj: object, key: string): boolean =>
  typeof Object.getOwnPropertyDescriptor(obj, key)?.get === 'function'

const requests = new PerPrototype<RequestChain>((proto) => {
  const base = baseOf(proto, IncomingMessage.prototype)
  const expressSecure =
    base !== undefined &&
    ownerOf(proto, 'secure') === base &&
    ownerOf(proto, 'protocol') === base &&
    hasGetter(base, 'secure') &&
    hasGetter(base, 'protocol')
  const parserFields = ownerOf(proto, 'cookies') !== null || ownerOf(proto, 'signedCookies') !== null
  return { base, expressSecure, parserFields }
})

const responses = new PerPrototype<ResponseChain>((proto) => {
  const base = baseOf(proto, ServerResponse.prototype)
  const chain = proto as { writeHead?: unknown; end?: unknown } | null
  const methods = base as { writeHead?: unknown; end?: unknown } | undefined
  return {
    base,
    intact:
      chain !== null && methods !== undefined && chain.writeHead === methods.writeHead && chain.end === methods.end,
  }
})

/** What sess knows about `req`'s prototype chain. */
export const requestChain = (req: object): RequestChain => requests.of(req)

/** What sess knows about `res`'s prototype chain. */
export const responseChain = (res: object): ResponseChain => responses.of(res)
