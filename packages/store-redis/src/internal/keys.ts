/** Marks an id listed by a store with `hashIds`: `'#' + hashSessionId(id)` (from @sess/core), the key it is stored under. */
export const HASHED_ID_MARK = '#'

/** `text` as a literal inside a SCAN MATCH pattern (glob-style: `*`, `?`, `[...]` and `\` escape). */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
