import type { AsyncStore, UserSession } from '../store.js'

/** A session a SQL store lists: the record (with `userAgent` and `ip` when recorded) and when it was last seen. */
export interface SQLUserSession extends UserSession {
  /** The last write or expiry refresh, epoch milliseconds (reads in between refresh it only when a touch is due). */
  lastSeenAt: number
}

/** What the SQL stores share: an {@link AsyncStore} with every capability, its table and `ensureSchema()`. */
export interface SQLSessionStore extends Required<AsyncStore> {
  /** The quoted (possibly schema- or database-qualified) table name the statements use. */
  readonly table: string
  /**
   * Creates the table and its indexes if they are missing, and checks the columns of an existing one. Idempotent;
   * call it at boot, never per request. Rejects with a `SessionStoreError` (code `STORE_FAILURE`) saying what to run
   * when the database user lacks the rights.
   */
  ensureSchema(): Promise<void>
  listByUser(userId: string): Promise<SQLUserSession[]>
}
