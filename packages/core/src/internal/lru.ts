/** A small least-recently-used cache: a hit moves the entry to the back, an insert past `max` drops the front. */
export class LRU<V> {
  readonly #max: number
  readonly #map = new Map<string, V>()

  constructor(max: number) {
    this.#max = max
  }

  /** The value under `key`, built with `make` (and remembered) on a miss. */
  get(key: string, make: () => V): V {
    const map = this.#map
    let value = map.get(key)
    if (value !== undefined) {
      map.delete(key)
    } else {
      value = make()
      if (map.size >= this.#max) map.delete(map.keys().next().value as string)
    }
    map.set(key, value)
    return value
  }
}
