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

type Target = { readonly access: DataAccess }

// One handler for every view; the view's target carries its access.
const handler: ProxyHandler<Target> = {
  get: ({ access }, key) => (typeof key === 'string' ? access.get(key) : undefined),
  set: ({ access }, key, value) => {
    if (typeof key !== 'string') return false
    access.set(key, value)
    return true
  },
  deleteProperty: ({ access }, key) => {
    if (typeof key === 'string') access.delete(key)
    return true
  },
  has: ({ access }, key) => typeof key === 'string' && Object.hasOwn(access.data(), key),
  ownKeys: ({ access }) => Object.keys(access.data()).filter((k) => k !== HIDDEN),
  getOwnPropertyDescriptor: ({ access }, key) =>
    typeof key === 'string' && key !== HIDDEN && Object.hasOwn(access.data(), key)
      ? { value: access.get(key), writable: true, enumerable: true, configurable: true }
      : undefined,
  defineProperty: ({ access }, key, desc) => {
    if (typeof key !== 'string' || !('value' in desc)) return false
    access.set(key, desc.value)
    return true
  },
}

/** The data as a tracked object: `view.views++` and `view.cart.items.push(x)` go through `access`. */
export function dataView<Data extends object>(access: DataAccess): Data {
  return new Proxy<Target>({ access }, handler) as unknown as Data
}
