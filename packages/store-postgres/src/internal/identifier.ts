/** `name` as a quoted SQL identifier: the store never splices an unquoted name into a statement. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** PostgreSQL truncates identifiers past 63 bytes; the table name leaves room for the index-name suffixes. */
export const MAX_TABLE_NAME_BYTES = 48

/** Whether `name` can be a table or schema name here: non-empty, no NUL, short enough for its index names. */
export function isValidName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    !name.includes('\u0000') &&
    new TextEncoder().encode(name).length <= MAX_TABLE_NAME_BYTES
  )
}
