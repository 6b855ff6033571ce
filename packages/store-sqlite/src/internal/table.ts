/** The table of a store without a `table` option. */
export const DEFAULT_TABLE = 'sess_sessions'

/** Leaves room for the index-name suffixes within the names tools show comfortably. */
const MAX_TABLE_NAME_LENGTH = 48

/** `name` as a quoted SQL identifier: the store never splices an unquoted name into a statement. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Whether `name` can be the table's name: non-empty, no NUL, not SQLite's own `sqlite_` namespace, not too long. */
export function isValidTableName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    !name.includes('\u0000') &&
    !name.toLowerCase().startsWith('sqlite_') &&
    [...name].length <= MAX_TABLE_NAME_LENGTH
  )
}
