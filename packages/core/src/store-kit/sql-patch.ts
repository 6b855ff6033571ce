import { SessionStateError } from '../errors.js'
import type { SessionPatch } from '../store.js'
import { encodeMaxAge } from './sql-row.js'

/** What differs between SQL dialects in {@link sqlPatchStatement}: how the JSON `data` column is edited and judged. */
export interface SQLPatchDialect {
  /**
   * `data` with `count` keys set, each by two `?` parameters: the key's path ({@link keyPath}) and the value's JSON
   * text (MySQL: `JSON_SET(data, ?, JSON_EXTRACT(?, '$'), …)`; SQLite: `json_set(data, ?, json(?), …)`).
   */
  setKeys(data: string, count: number): string
  /** `data` with `count` keys removed, each a `?` parameter holding the key's path (`JSON_REMOVE(data, ?, …)`). */
  removeKeys(data: string, count: number): string
  /** The JSON path of one top-level key, quoted in the dialect's way so that any key names itself. */
  keyPath(key: string): string
  /**
   * The condition of a row the store can read (data a JSON object, the times and version set): a patch only ever
   * matches such rows, so a corrupt one is never patched into a readable shape; reads report it instead.
   */
  soundRow: string
}

/**
 * The one `UPDATE` applying a patch with `?` parameters: only the listed keys are set or removed, so concurrent
 * patches of different keys both land; the expiry, last-seen time and version move, the user and `max_age` change
 * when the patch says so; `expires_at > now` keeps a destroyed or expired session from coming back, and in strict
 * mode the version must match. `table` is already quoted, `id` the stored id. No match (0 rows) means `'missing'`,
 * or in strict mode possibly `'conflict'`: the store tells them apart.
 */
export function sqlPatchStatement(
  table: string,
  id: string,
  patch: SessionPatch,
  now: number,
  dialect: SQLPatchDialect,
): { sql: string; params: unknown[] } {
  let data = 'data'
  const params: unknown[] = []
  const sets = Object.entries(patch.set)
  if (sets.length > 0) {
    data = dialect.setKeys(data, sets.length)
    for (const [key, value] of sets) params.push(dialect.keyPath(key), jsonText(key, value))
  }
  if (patch.unset.length > 0) {
    data = dialect.removeKeys(data, patch.unset.length)
    for (const key of patch.unset) params.push(dialect.keyPath(key))
  }
  const assignments = [`data = ${data}`, 'expires_at = ?', 'last_seen_at = ?', 'version = version + 1']
  params.push(patch.expiresAt, now)
  if (patch.userId !== undefined) {
    assignments.push('user_id = ?')
    params.push(patch.userId)
  }
  if (patch.maxAge !== undefined) {
    assignments.push('max_age = ?')
    params.push(encodeMaxAge(patch.maxAge))
  }
  let where = `id = ? AND expires_at > ? AND ${dialect.soundRow}`
  params.push(id, now)
  if (patch.expectedVersion !== undefined) {
    where += ' AND version = ?'
    params.push(patch.expectedVersion)
  }
  return { sql: `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${where}`, params }
}

/** The JSON text of one data value; core never hands a store a value JSON cannot represent (a function). */
function jsonText(key: string, value: unknown): string {
  const text = JSON.stringify(value)
  if (typeof text !== 'string') {
    throw new SessionStateError(
      'DATA_NOT_SERIALIZABLE',
      `[sess] The session value of ${JSON.stringify(key)} cannot be stored as JSON.`,
    )
  }
  return text
}
