import { createHash } from 'node:crypto'

/** Marks an id listed by a store with `hashIds`: the SHA-256 hex under which the session is stored. */
export const HASHED_ID_MARK = '#'

/** SHA-256 of a session id, hex. */
export function sha256Hex(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex')
}

/** `text` as a literal inside a SCAN MATCH pattern (glob-style: `*`, `?`, `[...]` and `\` escape). */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
