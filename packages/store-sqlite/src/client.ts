/**
 * The SQLite databases the store accepts, typed structurally with only the members it uses, so no driver is a
 * dependency and tests can wrap one (e.g. to count statements). The store tells them apart at construction.
 */

/** A prepared statement of better-sqlite3 or bun:sqlite: synchronous, positional `?` parameters. */
export interface SQLiteStatementLike {
  run(...params: never[]): { changes: number | bigint }
  all(...params: never[]): unknown[]
}

/** A better-sqlite3 `Database` (v11 and later) or a bun:sqlite `Database`, opened by the app. */
export interface SQLiteDatabaseLike {
  prepare(sql: string): SQLiteStatementLike
}

/** A prepared statement of Cloudflare D1. */
export interface D1PreparedStatementLike {
  bind(...values: never[]): D1PreparedStatementLike
  all(): Promise<{ results?: unknown[] | undefined }>
  run(): Promise<{ meta?: { changes?: number | undefined } | undefined }>
}

/** A Cloudflare D1 binding (`env.DB`). */
export interface D1DatabaseLike {
  prepare(sql: string): D1PreparedStatementLike
  batch(statements: D1PreparedStatementLike[]): Promise<{ results?: unknown[] | undefined }[]>
}

/** Any database {@link sqliteStore} accepts: better-sqlite3, bun:sqlite or Cloudflare D1. */
export type SQLiteClientLike = SQLiteDatabaseLike | D1DatabaseLike
