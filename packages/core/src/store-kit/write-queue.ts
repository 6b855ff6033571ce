/**
 * A per-id queue: `queue(id, task)` runs `task` after every task queued before it for the same id has settled
 * (fulfilled or rejected), and resolves or rejects as `task` does. Tasks for different ids run concurrently; an id
 * with nothing in flight holds no entry. For stores that update by reading and writing back: two such cycles
 * interleaving on one id would lose the first one's keys.
 */
export function createWriteQueue(): <T>(id: string, task: () => Promise<T>) => Promise<T> {
  const last = new Map<string, Promise<unknown>>()
  return (id, task) => {
    const result = (last.get(id) ?? Promise.resolve()).then(task)
    const settled = result.then(
      () => undefined,
      () => undefined,
    )
    last.set(id, settled)
    void settled.then(() => last.get(id) === settled && last.delete(id))
    return result
  }
}
