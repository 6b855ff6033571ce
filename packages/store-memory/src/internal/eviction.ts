/**
 * How much a session loses by being evicted, lowest first: `0` empty (what `saveUninitialized` stores for every
 * cookieless request), `1` carrying data, `2` bound to a user.
 */
export type EvictionTier = 0 | 1 | 2

/** The tier of a record held as its user and its data's JSON: a user beats data, data beats nothing. */
export function evictionTier(userId: string | undefined, data: string): EvictionTier {
  if (userId !== undefined) return 2
  return data === '{}' ? 0 : 1
}

/**
 * Entries kept in one least-recently-used order per tier. Eviction takes the least recently used entry of the
 * lowest tier that has any, so anonymous traffic (empty sessions, however many) can only push out other empty
 * sessions, never one that carries data or a user (issue 17.2: 10,001 cookieless requests used to log everyone
 * out under Express's defaults). Every operation is O(1): a Map per tier iterates in insertion order, and a use
 * re-inserts.
 */
export class TieredLRU<V extends { id: string; tier: EvictionTier }> {
  readonly #tiers: readonly [Map<string, V>, Map<string, V>, Map<string, V>] = [new Map(), new Map(), new Map()]

  /** Entries held, over every tier. */
  get size(): number {
    return this.#tiers[0].size + this.#tiers[1].size + this.#tiers[2].size
  }

  get(id: string): V | undefined {
    const [empty, data, user] = this.#tiers
    return user.get(id) ?? data.get(id) ?? empty.get(id)
  }

  /** Adds an entry as the most recently used of its tier; the id must not be held already. */
  set(id: string, value: V): void {
    this.#tiers[value.tier].set(id, value)
  }

  /** Removes the entry `value` held under `id`. */
  delete(id: string, value: V): void {
    this.#tiers[value.tier].delete(id)
  }

  /** Marks an entry as just used. */
  bump(id: string, value: V): void {
    const tier = this.#tiers[value.tier]
    tier.delete(id)
    tier.set(id, value)
  }

  /** The id to evict next: the least recently used of the lowest tier that holds any. */
  victim(): string | undefined {
    for (const tier of this.#tiers) for (const id of tier.keys()) return id
    return undefined
  }

  /**
   * A cursor over every entry in eviction order that never ends: past the last it starts over (the sweep's walk).
   * Plain Map iterators over the values (which carry their ids), no generator and no lookups: it advances on every
   * write.
   */
  cursor(): { next(): V | undefined } {
    const tiers = this.#tiers
    let tier = 0
    let values = tiers[0].values()
    return {
      next(): V | undefined {
        // At most one full pass over the three tiers: undefined only when every tier is empty.
        for (let step = 0; step < 4; step++) {
          const next = values.next()
          if (!next.done) return next.value
          tier = (tier + 1) % 3
          values = (tiers[tier] as Map<string, V>).values()
        }
        return undefined
      },
    }
  }

  /** Every id, in eviction order (lowest tier first, least recently used first within a tier); live. */
  *keys(): IterableIterator<string> {
    for (const tier of this.#tiers) yield* tier.keys()
  }

  /** Every entry, in eviction order. */
  *entries(): IterableIterator<[string, V]> {
    for (const tier of this.#tiers) yield* tier.entries()
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries()
  }

  clear(): void {
    for (const tier of this.#tiers) tier.clear()
  }
}
