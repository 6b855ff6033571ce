import { randomUUID } from 'node:crypto'
import type { Connection, Pool } from 'mysql2/promise'
import mysql from 'mysql2/promise'
import type { MySQLClientLike } from '../../src/index.js'

/** The database the integration tests use: `MYSQL_URL`, else the machine's MariaDB (root, no password, db `test`). */
export const MYSQL_URL: string = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

/** A prefix unique to this run, so parallel runs on one database never see each other's tables. */
export const RUN_PREFIX: string = `sess_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`
let tables = 0

/** A fresh table name of this run. */
export function tableName(): string {
  return `${RUN_PREFIX}_${++tables}`
}

/** Why the database cannot be used, or undefined when it answers. */
export async function mysqlUnavailableReason(): Promise<string | undefined> {
  try {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 })
    await connection.query('SELECT 1')
    await connection.end()
    return undefined
  } catch (error) {
    return `cannot connect to ${MYSQL_URL.replace(/\/\/[^@]*@/, '//…@')}: ${(error as Error).message}`
  }
}

/** A mysql2 client of each kind the store accepts. */
export type ClientKind = 'pool' | 'connection'

/** Opens a client of `kind`. */
export async function connect(kind: ClientKind): Promise<Pool | Connection> {
  return kind === 'pool'
    ? mysql.createPool({ uri: MYSQL_URL, connectionLimit: 4 })
    : await mysql.createConnection({ uri: MYSQL_URL })
}

/** Drops every table this run created (a pattern match, so a table left by a failed test goes too). */
export async function dropRunTables(client: MySQLClientLike): Promise<void> {
  const [rows] = (await client.query(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?',
    [`${RUN_PREFIX}%`],
  )) as [{ name: string }[], unknown]
  for (const { name } of rows) await client.query(`DROP TABLE IF EXISTS \`${name}\``)
}

/** A client wrapper that counts the statements the store sends, and keeps their text. */
export interface CountingClient {
  readonly client: MySQLClientLike
  readonly statements: string[]
}

/** Wraps `query`; nothing else of the client is used by the store. */
export function countStatements(inner: MySQLClientLike): CountingClient {
  const statements: string[] = []
  return {
    statements,
    client: {
      query(sql: string, values?: unknown[]) {
        statements.push(sql)
        return inner.query(sql, values)
      },
    },
  }
}
