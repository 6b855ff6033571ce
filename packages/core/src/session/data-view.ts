/** How a data view reads and writes the session it shows. */
export interface DataAccess {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
  /** The current data object (replaced on regenerate and reload). */
  data(): Record<string, unknown>
}

/** A key kept out of the view (flash messages). */
const HIDDEN = '__flash'

/** The data as a tracked object: `view.views++` and `view.cart.items.push(x)` go through `access`. */
export function dataView<Data extends object>(access: DataAccess): Data {
  return new Proxy({} as Data, {
    get: (_, key) => (typeof key === 'string' ? access.get(key) : undefined),
    set: (_, key, value) => {
      if (typeof key !== 'string') return false
      access.set(key, value)
      return true
    },
    deleteProperty: (_, key) => {
      if (typeof key === 'string') access.delete(key)
      return true
    },
    has: (_, key) => typeof key === 'string' && Object.hasOwn(access.data(), key),
    ownKeys: () => Object.keys(access.data()).filter((k) => k !== HIDDEN),
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === 'string' && key !== HIDDEN && Object.hasOwn(access.data(), key)
        ? { value: access.get(key), writable: true, enumerable: true, configurable: true }
        : undefined,
    defineProperty: (_, key, desc) => {
      if (typeof key !== 'string' || !('value' in desc)) return false
      access.set(key, desc.value)
      return true
    },
  })
}
