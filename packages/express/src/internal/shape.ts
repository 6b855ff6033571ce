/**
 * Puts a request or response into V8's dictionary mode, where every Express request (and every response) shares one
 * hidden class again, so that the property accesses of Express, Node and the app hit V8's inline caches. Only where
 * that pays: see {@link gainsFromReshaping}.
 *
 * Why: Express gives every request and response its app's prototype (`Object.setPrototypeOf`), and the first
 * property added afterwards (the router's `req.next`, `res.locals`) gives each object a hidden class of its own
 * (slots.ts has the measurements). Every property access to them from shared code then misses V8's inline and
 * megamorphic caches, about a hundred per request on the bare route. An object whose properties are in a dictionary
 * shares its hidden class with all such objects of the same prototype and layout, and the caches hold again: on
 * this project's bench (2026-12-03) Express's bare route went from 117 to 75 µs of CPU per request with only this
 * done to `req` and `res` in a first middleware.
 *
 * How: deleting an own property that is not the object's last puts it into dictionary mode in V8. sess deletes the
 * object's first own symbol-keyed property (one of Node's internal fields) and defines it again with the same
 * descriptor: the value, attributes and every string key's order stay as they were; only that symbol moves after
 * the object's other symbols. Nothing is done to an object that cannot take new properties or whose first symbol is
 * not a configurable property, and in other engines the same steps change nothing.
 */
export class Reshape {
  /** The key to move: the first own symbol of the first such object seen (Node's are the same for every request). */
  #key: symbol | undefined = undefined

  run(obj: object): void {
    let key = this.#key
    if (key === undefined) {
      key = Object.getOwnPropertySymbols(obj)[0]
      if (key === undefined) return
      this.#key = key
    }
    // A non-extensible object could not take the property back once deleted.
    if (!Reflect.isExtensible(obj)) return
    const descriptor = Reflect.getOwnPropertyDescriptor(obj, key)
    if (descriptor === undefined || descriptor.configurable !== true) return
    if (Reflect.deleteProperty(obj, key)) Reflect.defineProperty(obj, key, descriptor)
  }
}

/**
 * Whether reshaping requests and responses pays on this engine: V8 before 13 (Node 20 to 23). Measured on 2026-12-03
 * (`ab.mjs`, Express's bare route against the same behind a middleware that only reshapes): Node 20 121 → 83, Node 22
 * 104–112 → 74–77, Node 23 175–185 → 125–128 µs per request; on Node 24 (V8 13.6) Express's bare route is several
 * times cheaper already and reshaping cost 14–26 µs more, so it is left off there, and on engines that are not V8
 * (Bun).
 */
export function gainsFromReshaping(
  versions: { v8?: string | undefined; bun?: string | undefined } | undefined,
): boolean {
  // Bun reports a V8 version for compatibility; its engine is JavaScriptCore.
  if (versions?.v8 === undefined || versions.bun !== undefined) return false
  return Number.parseInt(versions.v8, 10) < 13
}

/** {@link gainsFromReshaping} for this process. */
export const reshaping: boolean = gainsFromReshaping(
  (globalThis as { process?: { versions?: { v8?: string; bun?: string } } }).process?.versions,
)
