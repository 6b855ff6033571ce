import type { Session } from './session/session.js'

const SESSION = Symbol.for('@sess/core/properties-view')

/** A data write the view was asked to make after the response's commit. */
export type LateWrite = 'set' | 'delete'

/** Options of {@link propertiesView}. */
export interface PropertiesViewOptions {
  /**
   * Keys listed by `Object.keys()` before the data keys (e.g. express-session's `cookie`); each is reported as an
   * own enumerable property holding what the API object answers for it (so a lazy getter builds it).
   * @default []
   */
  listed?: readonly string[] | undefined
  /**
   * What a data write after the commit does: `'throw'` (`ALREADY_COMMITTED`, as `session.set()`), or `'ignore'`:
   * the write is dropped and reported to {@link onIgnored}, for frameworks where a late write (a timer after the
   * response) must not end the process.
   * @default 'throw'
   */
  afterCommit?: 'throw' | 'ignore' | undefined
  /** Called with the API object and the operation for each write ignored after the commit. Must not throw. */
  onIgnored?: ((api: object, operation: LateWrite) => void) | undefined
  /**
   * Where the view finds an API object's session, when the adapter keeps it there already: each view then defines
   * nothing on the API object (by default it stores the session there under a private symbol).
   */
  sessionOf?: ((api: object) => Session<object>) | undefined
}

/**
 * A factory of data-as-properties views, for adapters whose peers expose `req.session.views++`: the adapter's API
 * object (methods, `id`, `cookie`... anything `in` it) answers its own names, every other string key reads and
 * writes the session's tracked data (setting a key to the primitive it holds is no change). One Proxy handler per
 * factory; a view costs one Proxy and no closures.
 *
 * @example
 * ```ts
 * const view = propertiesView({ listed: ['cookie'], afterCommit: 'ignore', onIgnored: (api, op) => report(op) })
 * req.session = view(new ExpressSessionApi(handle), handle.session)
 * ```
 */
export function propertiesView(
  options: PropertiesViewOptions = {},
): <Api extends object, Data extends object>(api: Api, session: Session<Data>) => Api & Data {
  const listed = options.listed ?? []
  const ignore = options.afterCommit === 'ignore'
  const onIgnored = options.onIgnored
  const own = (t: object, key: string | symbol): boolean => typeof key === 'symbol' || key in t
  const sessionOf = options.sessionOf
  const session = sessionOf ?? ((t: object): Session<object> => (t as { [SESSION]: Session<object> })[SESSION])
  const data = (t: object): Record<string, unknown> => session(t).data as Record<string, unknown>
  // True when the write is to be dropped: the session is committed and the view ignores late writes.
  const late = (t: object, operation: LateWrite): boolean => {
    if (!ignore || !session(t).committed) return false
    try {
      onIgnored?.(t, operation)
    } catch {
      // An observer must not break the process either.
    }
    return true
  }
  // The hot traps (read, write, delete, `in`) call the session's own methods: no data view is built for them, and
  // a read is one Proxy hop, not two. Listing and descriptors (rare) go through the session's data view.
  type Untyped = Session<Record<string, unknown>>
  const untyped = (t: object): Untyped => session(t) as unknown as Untyped
  const handler: ProxyHandler<object> = {
    get: (t, key, receiver) => (own(t, key) ? Reflect.get(t, key, receiver) : untyped(t).get(key as string)),
    set: (t, key, value, receiver) =>
      own(t, key)
        ? Reflect.set(t, key, value, receiver)
        : late(t, 'set') || (untyped(t).set(key as string, value), true),
    has: (t, key) => key in t || untyped(t).has(key as string),
    deleteProperty: (t, key) =>
      own(t, key) ? Reflect.deleteProperty(t, key) : late(t, 'delete') || (untyped(t).delete(key as string), true),
    ownKeys: (t) => [...listed, ...Reflect.ownKeys(data(t))],
    getOwnPropertyDescriptor: (t, key) =>
      listed.includes(key as string)
        ? { value: Reflect.get(t, key), writable: true, enumerable: true, configurable: true }
        : own(t, key)
          ? Reflect.getOwnPropertyDescriptor(t, key)
          : Reflect.getOwnPropertyDescriptor(data(t), key),
    defineProperty: (t, key, descriptor) =>
      own(t, key)
        ? Reflect.defineProperty(t, key, descriptor)
        : late(t, 'set') || Reflect.defineProperty(data(t), key, descriptor),
  }
  return <Api extends object, Data extends object>(api: Api, session: Session<Data>): Api & Data => {
    if (sessionOf === undefined) Object.defineProperty(api, SESSION, { value: session, configurable: true })
    return new Proxy(api, handler) as Api & Data
  }
}
