import { randomUUID } from 'node:crypto'
import type { IntegrationGate } from '@sess/testing'
import { integrationGate } from '@sess/testing'
import pg from 'pg'
import postgres from 'postgres'
import type { PostgresClientLike } from '../../src/index.js'

/** The database the integration suites use: `PG_URL`, or the machine's PostgreSQL (trust auth, database `test`). */
export const PG_URL: string = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Why PostgreSQL cannot be used, or undefined when it answers. */
async function unavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, '//')} did not answer (${(error as Error).message}); set PG_URL`
  } finally {
    await client.end().catch(() => {})
  }
}

/** Skips without PostgreSQL locally; with CI=true or SESS_REQUIRE_INTEGRATION=1 a missing server fails the file. */
export const pgGate: IntegrationGate = integrationGate('PostgreSQL', await unavailableReason())

/** The two client libraries the store supports. */
export type ClientKind = 'pg' | 'postgres.js'
export const CLIENT_KINDS: ClientKind[] = ['pg', 'postgres.js']

/** A connected client of one kind, with `search_path` untouched, and how to end it. */
export interface TestClient {
  readonly kind: ClientKind
  readonly client: PostgresClientLike
  /** Runs SQL for the test itself (setup, inspection), outside the store. */
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>
  close(): Promise<void>
}

/** Connects a client of `kind`; pools log (not throw) the errors of connections killed while idle. */
export function connect(kind: ClientKind, options: { max?: number; applicationName?: string } = {}): TestClient {
  const application_name = options.applicationName ?? 'sess-test'
  if (kind === 'pg') {
    const pool = new pg.Pool({ connectionString: PG_URL, max: options.max ?? 4, application_name })
    pool.on('error', () => {})
    return {
      kind,
      client: pool,
      query: async (text, params) => (await pool.query(text, params)).rows,
      close: () => pool.end(),
    }
  }
  const sql = postgres(PG_URL, {
    max: options.max ?? 4,
    onnotice: () => {},
    connection: { application_name },
  })
  return {
    kind,
    client: sql,
    query: async (text, params) => [...(await sql.unsafe(text, params as never[]))] as Record<string, unknown>[],
    close: () => sql.end({ timeout: 1 }),
  }
}

/** A schema of its own for one test file, dropped with everything in it by `drop()`. */
export async function createTestSchema(admin: TestClient): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `sess_test_${randomUUID().replaceAll('-', '')}`
  await admin.query(`CREATE SCHEMA "${name}"`)
  return { name, drop: async () => void (await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)) }
}
