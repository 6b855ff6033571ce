import { SessionConfigError } from '@sess/core'
import type { D1DatabaseLike, SQLiteClientLike, SQLiteDatabaseLike, SQLiteStatementLike } from '../client.js'

/** A row as the driver returns it. */
export type Row = Record<string, unknown>

/** One SQL statement and its positional parameters. */
export type Statement = readonly [sql: string, params: readonly unknown[]]

/** What the store needs from a database: rows, a change count, and two statements in one round trip. */
export interface Driver {
  /** Runs a statement that returns rows (a SELECT, or a write with RETURNING). */
  all(statement: Statement): Promise<Row[]>
  /** Runs a write; resolves to how many rows it changed. */
  run(statement: Statement): Promise<number>
  /**
   * Runs statements in order and resolves to the rows of each: one round trip (and one transaction) on D1,
   * undefined for an in-process database, where a statement costs no round trip.
   */
  batch: ((statements: Statement[]) => Promise<Row[][]>) | undefined
}

// Enough prepared statements for every shape the store builds (patches vary with their key counts).
const MAX_CACHED = 256

/** Recognises the database: D1 has `batch`; better-sqlite3 and bun:sqlite have synchronous statements. */
export function createDriver(client: SQLiteClientLike): Driver {
  const probe = client as unknown as Record<string, unknown> | undefined
  if (typeof probe?.prepare !== 'function') {
    throw new SessionConfigError(
      'OPTION_INVALID',
      '[sess] [store-sqlite] client must be a better-sqlite3 or bun:sqlite Database, or a Cloudflare D1 binding.',
    )
  }
  return typeof probe.batch === 'function' ? d1(client as D1DatabaseLike) : synchronous(client as SQLiteDatabaseLike)
}

function synchronous(db: SQLiteDatabaseLike): Driver {
  const cache = new Map<string, SQLiteStatementLike>()
  const prepare = (sql: string): SQLiteStatementLike => {
    let statement = cache.get(sql)
    if (statement === undefined) {
      if (cache.size >= MAX_CACHED) cache.clear()
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
  return {
    all: async ([sql, params]) => prepare(sql).all(...(params as never[])) as Row[],
    run: async ([sql, params]) => Number(prepare(sql).run(...(params as never[])).changes),
    batch: undefined,
  }
}

function d1(db: D1DatabaseLike): Driver {
  const bind = ([sql, params]: Statement) => db.prepare(sql).bind(...(params as never[]))
  return {
    all: async (statement) => ((await bind(statement).all()).results ?? []) as Row[],
    run: async (statement) => Number((await bind(statement).run()).meta?.changes ?? 0),
    batch: async (statements) => (await db.batch(statements.map(bind))).map((r) => (r.results ?? []) as Row[]),
  }
}
