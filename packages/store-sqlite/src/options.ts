import type { Clock } from '@sess/core'
import { resolveCommonStoreOptions, SessionConfigError } from '@sess/core'
import type { SQLiteClientLike } from './client.js'
import { DEFAULT_TABLE, isValidTableName } from './internal/table.js'

/** How expired rows are removed: a bounded `DELETE` that follows some writes. */
export interface SweepOptions {
  /** Share of writes (`set`, `patch`) that also delete expired rows, from 0 (never: use a scheduled job) to 1. @default 0.05 */
  probability?: number | undefined
  /** At most this many expired rows per sweep, so no write is ever slow. @default 100 */
  limit?: number | undefined
}

/** Options of {@link sqliteStore}. */
export interface SQLiteStoreOptions {
  /**
   * The app's database, already open: a better-sqlite3 or bun:sqlite `Database`, or a Cloudflare D1 binding
   * (`env.DB`). The store never opens or closes it.
   */
  client: SQLiteClientLike
  /** The table's name. @default 'sess_sessions' */
  table?: string | undefined
  /**
   * Keep each session under the SHA-256 of its id, so a leaked database holds no usable cookie id. `listByUser` then
   * lists ids as `'#' + sha256hex`, which `destroy` and `destroyByUser`'s `except` accept. @default false
   */
  hashIds?: boolean | undefined
  /**
   * Record the `userAgent` and `ip` a record carries in their own columns, and return them ("your devices"). Off by
   * default because both are personal data. @default false
   */
  deviceMetadata?: boolean | undefined
  /** Removal of expired rows; `false` leaves it to you (call `sweep()` from a job). @default { probability: 0.05, limit: 100 } */
  sweep?: SweepOptions | false | undefined
  /** Source of the current time; it decides which rows count as expired. @default Date.now */
  clock?: Clock | undefined
}

/** The options after defaults and checks. */
export interface ResolvedOptions {
  client: SQLiteClientLike
  table: string
  hashIds: boolean
  deviceMetadata: boolean
  probability: number
  limit: number
  clock: Clock
}

/** Applies the defaults and checks every option; throws `SessionConfigError` (`OPTION_INVALID`) on a bad one. */
export function resolveOptions(options: SQLiteStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalid('Pass an options object with a client.')
  const table = options.table ?? DEFAULT_TABLE
  if (!isValidTableName(table))
    invalid('table must be a non-empty name of at most 48 characters, not starting sqlite_.')
  const common = resolveCommonStoreOptions(options, 'store-sqlite')
  return { client: options.client, table, ...common }
}

function invalid(message: string): never {
  throw new SessionConfigError('OPTION_INVALID', `[sess] [store-sqlite] ${message}`)
}
