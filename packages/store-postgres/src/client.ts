/**
 * The PostgreSQL clients the store accepts, typed structurally with only the members it uses, so that no client
 * library is a dependency and tests can wrap or fake them. The store tells them apart at construction.
 */

/** A `pg` (node-postgres) `Pool`, `Client` or `PoolClient`: anything with `query(text, values)`. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>
}

/** A postgres.js `sql` instance from `postgres(url)`: the store runs its statements through `sql.unsafe`. */
export interface PostgresJsLike {
  unsafe(query: string, parameters?: never[]): PromiseLike<readonly unknown[]>
}

/** Any client {@link postgresStore} accepts: pg (Pool or Client) or postgres.js. */
export type PostgresClientLike = PgClientLike | PostgresJsLike
