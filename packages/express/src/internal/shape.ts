/**
 * Puts a request or response into V8's dictionary mode, where every Express request (and every response) shares one
 * hidden class again, so that the property accesses of Express, Node and the app hit V8's inline caches.
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
