/** Where the store's table lives. */
export interface TableName {
  /** The table's name. @default 'sess_sessions' */
  table?: string | undefined
  /** The database (MySQL's "schema") holding it; without it, the connection's current database. @default undefined */
  schema?: string | undefined
}

/** The table of a store without a `table` option. */
export const DEFAULT_TABLE = 'sess_sessions'

/** MySQL and MariaDB identifiers are at most 64 characters. */
const MAX_NAME_LENGTH = 64

/** `name` as a quoted identifier: the store never splices an unquoted name into a statement. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

/** Whether a table or database name is usable here: non-empty, no NUL, no trailing space, at most 64 characters. */
export function isValidName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    !name.includes('\u0000') &&
    !name.endsWith(' ') &&
    [...name].length <= MAX_NAME_LENGTH
  )
}

/** Whether both parts of a table name are usable (absent ones take their defaults). */
export function isValidTableName(name: TableName): boolean {
  return (
    (name.table === undefined || isValidName(name.table)) && (name.schema === undefined || isValidName(name.schema))
  )
}

/** The quoted, possibly database-qualified name of the table. */
export function qualifiedTable(name: TableName = {}): string {
  const table = quoteIdent(name.table ?? DEFAULT_TABLE)
  return name.schema === undefined ? table : `${quoteIdent(name.schema)}.${table}`
}
