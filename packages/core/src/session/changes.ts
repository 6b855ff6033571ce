/** A change that is not a data key: the user binding, the lifetime, an explicit save or touch request. */
export type MetaChange = 'user' | 'maxAge' | 'save' | 'touch'

/**
 * Change tracking for one session: which top-level keys were set or deleted, JSON snapshots of object values as they
 * were first read (a nested mutation shows at commit as a different JSON), and the meta changes. Everything is
 * created on the first change: most requests change nothing.
 */
export class Changes {
  #keys: Set<string> | undefined
  #snapshots: Map<string, string> | undefined
  #meta: Set<MetaChange> | undefined

  /** Remembers an object value as it is now, the first time it is read (unless the key is already changed). */
  noteRead(key: string, value: object): void {
    if (this.#keys?.has(key) === true || this.#snapshots?.has(key) === true) return
    let json: string
    try {
      json = JSON.stringify(value)
    } catch {
      // Not JSON already (a value set before the load, kept in memory): treat it as changed, the write checks it.
      this.noteWrite(key)
      return
    }
    ;(this.#snapshots ??= new Map()).set(key, json)
  }

  /** Marks a key set or deleted. */
  noteWrite(key: string): void {
    ;(this.#keys ??= new Set()).add(key)
    this.#snapshots?.delete(key)
  }

  /** Marks a meta change. */
  note(change: MetaChange): void {
    ;(this.#meta ??= new Set()).add(change)
  }

  /** Whether a meta change is pending. */
  has(change: MetaChange): boolean {
    return this.#meta?.has(change) === true
  }

  /** The keys changed since the last write, nested mutations included. Never throws. */
  changedKeys(data: Record<string, unknown>): string[] {
    const changed = this.#keys === undefined ? [] : [...this.#keys]
    if (this.#snapshots === undefined) return changed
    for (const [key, before] of this.#snapshots) {
      if (!Object.hasOwn(data, key) || jsonOf(data[key]) !== before) changed.push(key)
    }
    return changed
  }

  /** Whether anything would be written: a changed key or a meta change other than a touch request. */
  modified(data: Record<string, unknown>): boolean {
    const meta = this.#meta
    if (meta !== undefined && (meta.has('user') || meta.has('maxAge') || meta.has('save'))) return true
    if (this.#keys !== undefined && this.#keys.size > 0) return true
    if (this.#snapshots === undefined) return false
    for (const [key, before] of this.#snapshots) {
      if (!Object.hasOwn(data, key) || jsonOf(data[key]) !== before) return true
    }
    return false
  }

  /** After a write: nothing is pending; snapshots are re-taken for objects the handler may still hold. */
  clear(data: Record<string, unknown>): void {
    const snapshots = this.#snapshots
    if (snapshots !== undefined) {
      for (const key of snapshots.keys()) {
        const json = Object.hasOwn(data, key) ? jsonOf(data[key]) : undefined
        if (json === undefined) snapshots.delete(key)
        else snapshots.set(key, json)
      }
    }
    this.#keys?.clear()
    this.#meta?.clear()
  }

  /** Forgets everything, snapshots included (the data was replaced). */
  reset(): void {
    this.#snapshots?.clear()
    this.#keys?.clear()
    this.#meta?.clear()
  }
}

/**
 * Whether setting `key` to `value` changes nothing: the key already holds this same primitive. Such a set is not
 * tracked, as express-session and @fastify/session compare the data before and after the request.
 */
export function samePrimitive(data: Record<string, unknown>, key: string, value: unknown): boolean {
  return (value === null || typeof value !== 'object') && Object.hasOwn(data, key) && Object.is(data[key], value)
}

/** JSON of a value, or undefined when it has none (a cycle, a BigInt): then it never equals a snapshot. */
function jsonOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}
