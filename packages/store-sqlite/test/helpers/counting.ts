import type { SQLiteClientLike } from '../../src/index.js'

/** A database wrapper that counts what the store sends: statements, and round trips (a D1 batch is one). */
export interface CountingClient {
  readonly client: SQLiteClientLike
  /** The SQL of every statement run, in order. */
  readonly statements: string[]
  /** Calls that crossed to the database: one per statement, or one per D1 batch. */
  readonly roundTrips: number
}

const EXECUTE = new Set(['run', 'all', 'get', 'first', 'raw'])

/** Wraps `prepare` (and D1's `batch`); a statement counts when it runs, not when it is prepared. */
export function countStatements(inner: SQLiteClientLike): CountingClient {
  const statements: string[] = []
  let roundTrips = 0
  // D1's batch wants its own statement objects back: each proxy remembers the one it stands for.
  const raw = new WeakMap<object, object>()
  const sqlOf = new WeakMap<object, string>()
  const wrap = (statement: object, sql: string): object => {
    const proxy = new Proxy(statement, {
      get(target, property) {
        const value = Reflect.get(target, property, target)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args)
          if (property === 'bind') return wrap(result as object, sql)
          if (EXECUTE.has(String(property))) {
            statements.push(sql)
            roundTrips++
          }
          return result
        }
      },
    })
    raw.set(proxy, statement)
    sqlOf.set(proxy, sql)
    return proxy
  }
  const target = inner as unknown as Record<string, (...args: unknown[]) => unknown>
  const client = new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object)
      if (typeof value !== 'function') return value
      if (property === 'prepare') return (sql: string) => wrap(value.call(object, sql) as object, sql)
      if (property === 'batch') {
        return (list: object[]) => {
          roundTrips++
          for (const s of list) statements.push(sqlOf.get(s) ?? '?')
          return value.call(
            object,
            list.map((s) => raw.get(s) ?? s),
          )
        }
      }
      return value.bind(object)
    },
  }) as unknown as SQLiteClientLike
  return {
    client,
    statements,
    get roundTrips() {
      return roundTrips
    },
  }
}
