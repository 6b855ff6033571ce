import type { PgClientLike, PostgresClientLike, PostgresJsLike } from '../client.js'

/** A row as both drivers hand it back: column alias → value. */
export type Row = Record<string, unknown>

/** One statement with positional parameters (`$1`, `$2`, ...), whatever the client. */
export type RunSQL = (text: string, params: readonly unknown[]) => Promise<Row[]>

/**
 * The one way the store talks to PostgreSQL: a single statement per call. Every parameter is cast in the SQL
 * itself (`$1::text`), so both drivers may send them untyped.
 */
export function createDriver(client: PostgresClientLike): RunSQL {
  if (typeof (client as PostgresJsLike)?.unsafe === 'function') {
    const sql = client as PostgresJsLike
    return async (text, params) => [...((await sql.unsafe(text, params as never[])) as Row[])]
  }
  if (typeof (client as PgClientLike)?.query === 'function') {
    const pg = client as PgClientLike
    return async (text, params) => (await pg.query(text, params as unknown[])).rows as Row[]
  }
  throw new TypeError('not a client')
}
