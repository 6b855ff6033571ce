/**
 * Runs the store calls for one session id one after another. A callback store has no atomic update, so a patch
 * re-reads the record and writes it back; two such cycles interleaving on one id would lose the first one's keys
 * (issue 17.10). Ids with nothing in flight hold no entry.
 */
export function perIdQueue(): <T>(id: string, task: () => Promise<T>) => Promise<T> {
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
