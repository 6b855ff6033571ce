/**
 * The mysql2 client the store accepts, typed structurally with only the member it uses, so mysql2 is not a
 * dependency and tests can wrap it (e.g. to count statements).
 */

/**
 * A mysql2 promise-API `Pool`, `PoolConnection` or `Connection` (`import mysql from 'mysql2/promise'`, or
 * `pool.promise()` on a callback-API pool). `query` resolves to `[rows, fields]`: rows for a SELECT, a result header
 * with `affectedRows` for a write.
 */
export interface MySQLClientLike {
  query(sql: string, values?: unknown[]): Promise<unknown>
}
