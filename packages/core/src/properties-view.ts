import type { Session } from './session/session.js'

const DATA = Symbol.for('@sess/core/properties-view')

/** Options of {@link propertiesView}. */
export interface PropertiesViewOptions {
  /** Keys listed by `Object.keys()` before the data keys (e.g. express-session's `cookie`). @default [] */
  listed?: readonly string[] | undefined
}

/**
 * A factory of data-as-properties views, for adapters whose peers expose `req.session.views++`: the adapter's API
 * object (methods, `id`, `cookie`... anything `in` it) answers its own names, every other string key reads and
 * writes the session's tracked data. One Proxy handler per factory; a view costs one Proxy and no closures.
 *
 * @example
 * ```ts
 * const view = propertiesView()
 * req.session = view(new ExpressSessionApi(handle), handle.session)
 * ```
 */
export function propertiesView(
  options: PropertiesViewOptions = {},
): <Api extends object, Data extends object>(api: Api, session: Session<Data>) => Api & Data {
  const listed = options.listed ?? []
  const own = (t: object, key: string | symbol): boolean => typeof key === 'symbol' || key in t
  const data = (t: object): Record<string, unknown> => (t as { [DATA]: Record<string, unknown> })[DATA]
  const handler: ProxyHandler<object> = {
    get: (t, key, receiver) => (own(t, key) ? Reflect.get(t, key, receiver) : data(t)[key as string]),
    set: (t, key, value, receiver) =>
      own(t, key) ? Reflect.set(t, key, value, receiver) : Reflect.set(data(t), key, value),
    has: (t, key) => key in t || key in data(t),
    deleteProperty: (t, key) => (own(t, key) ? Reflect.deleteProperty(t, key) : Reflect.deleteProperty(data(t), key)),
    ownKeys: (t) => [...listed, ...Reflect.ownKeys(data(t))],
    getOwnPropertyDescriptor: (t, key) =>
      own(t, key) ? Reflect.getOwnPropertyDescriptor(t, key) : Reflect.getOwnPropertyDescriptor(data(t), key),
    defineProperty: (t, key, descriptor) =>
      own(t, key) ? Reflect.defineProperty(t, key, descriptor) : Reflect.defineProperty(data(t), key, descriptor),
  }
  return <Api extends object, Data extends object>(api: Api, session: Session<Data>): Api & Data => {
    Object.defineProperty(api, DATA, { value: session.data, configurable: true })
    return new Proxy(api, handler) as Api & Data
  }
}
