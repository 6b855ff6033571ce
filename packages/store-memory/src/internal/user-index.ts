/** userId → ids of that user's sessions, kept in step with the entries on every write and removal. */
export class UserIndex {
  readonly #byUser = new Map<string, Set<string>>()

  add(userId: string | undefined, id: string): void {
    if (userId === undefined) return
    const ids = this.#byUser.get(userId)
    if (ids) ids.add(id)
    else this.#byUser.set(userId, new Set([id]))
  }

  remove(userId: string | undefined, id: string): void {
    if (userId === undefined) return
    const ids = this.#byUser.get(userId)
    // Dropping empty sets keeps a stream of one-off users from growing the index without bound.
    if (ids?.delete(id) && ids.size === 0) this.#byUser.delete(userId)
  }

  /** A snapshot: callers remove entries while they walk it. */
  ids(userId: string): string[] {
    return [...(this.#byUser.get(userId) ?? [])]
  }

  get users(): number {
    return this.#byUser.size
  }

  clear(): void {
    this.#byUser.clear()
  }
}
