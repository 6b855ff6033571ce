import type { PostgresClientLike } from '../../src/index.js'

/** A client wrapper that counts the statements the store hands to the client library. */
export interface CountingClient {
  readonly client: PostgresClientLike
  /** Statements sent since creation or the last `reset()`. */
  readonly sent: number
  /** The statements' first words, in order (e.g. `SELECT`, `WITH`, `INSERT`), for failure messages. */
  readonly log: string[]
  reset(): void
}

/** Wraps `query` (pg) and `unsafe` (postgres.js); everything else passes through to the real client. */
export function countStatements(inner: PostgresClientLike): CountingClient {
  const log: string[] = []
  const target = inner as unknown as Record<string | symbol, unknown>
  const client = new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object)
      if (typeof value !== 'function') return value
      if (property === 'query' || property === 'unsafe') {
        return (text: string, ...rest: unknown[]) => {
          log.push(String(text).trim().split(/\s+/, 1)[0]!)
          return (value as (...a: unknown[]) => unknown).call(object, text, ...rest)
        }
      }
      return (value as (...a: unknown[]) => unknown).bind(object)
    },
  }) as unknown as PostgresClientLike
  return {
    client,
    log,
    get sent() {
      return log.length
    },
    reset: () => void log.splice(0),
  }
}
