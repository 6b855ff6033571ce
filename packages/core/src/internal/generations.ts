/**
 * A bounded cache whose hit is one Map lookup: two generations, an approximate LRU. New entries go to the young
 * generation; when it holds `half` entries it becomes the old one and the previous old one is dropped. A hit in the
 * old generation moves the entry back to the young one, so the most recent `half` entries used are always kept.
 */
export class Generations<V> {
  readonly #half: number
  #young = new Map<string, V>()
  #old = new Map<string, V>()

  constructor(half: number) {
    this.#half = half
  }

  get(key: string): V | undefined {
    const young = this.#young.get(key)
    if (young !== undefined) return young
    const old = this.#old.get(key)
    if (old !== undefined) {
      this.#old.delete(key)
      this.set(key, old)
    }
    return old
  }

  set(key: string, value: V): void {
    if (this.#young.size >= this.#half) {
      this.#old = this.#young
      this.#young = new Map()
    }
    this.#young.set(key, value)
  }

  /** The value under `key`, built with `make` (and kept) on a miss. */
  getOr(key: string, make: () => V): V {
    let value = this.get(key)
    if (value === undefined) this.set(key, (value = make()))
    return value
  }
}
