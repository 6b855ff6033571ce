import type { Clock } from '@sess/core'
import { resolveCommonStoreOptions, SessionConfigError } from '@sess/core'
import type { MySQLClientLike } from './client.js'
import type { TableName } from './internal/table.js'
import { isValidTableName } from './internal/table.js'

/** How expired rows are removed: a bounded `DELETE` that follows some writes. */
export interface SweepOptions {
  /** Share of writes (`set`, `patch`) that also delete expired rows, from 0 (never: use an event or cron job) to 1. @default 0.05 */
  probability?: number | undefined
  /** At most this many expired rows per sweep, so no write is ever slow. @default 100 */
  limit?: number | undefined
}

/** Options of {@link mysqlStore}. */
export interface MySQLStoreOptions extends TableName {
  /** The app's mysql2 promise-API `Pool` or `Connection`, already set up. The store never connects or ends it. */
  client: MySQLClientLike
  /**
   * Keep each session under the SHA-256 of its id, so a leaked table holds no usable cookie id. `listByUser` then
   * lists ids as `'#' + sha256hex`, which `destroy` and `destroyByUser`'s `except` accept. @default false
   */
  hashIds?: boolean | undefined
  /**
   * Record the `userAgent` and `ip` a record carries in their own columns, and return them ("your devices"). Off by
   * default because both are personal data. @default false
   */
  deviceMetadata?: boolean | undefined
  /** Removal of expired rows; `false` leaves it to you (see the README's event job). @default { probability: 0.05, limit: 100 } */
  sweep?: SweepOptions | false | undefined
  /** Source of the current time; it decides which rows count as expired. @default Date.now */
  clock?: Clock | undefined
}

/** The options after defaults and checks. */
export interface ResolvedOptions {
  client: MySQLClientLike
  name: TableName
  hashIds: boolean
  deviceMetadata: boolean
  probability: number
  limit: number
  clock: Clock
}

/** Applies the defaults and checks every option; throws `SessionConfigError` (`OPTION_INVALID`) on a bad one. */
export function resolveOptions(options: MySQLStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalid('Pass an options object with a client.')
  const client = options.client
  if (typeof client?.query !== 'function') invalid('client must be a mysql2 promise-API Pool or Connection.')
  if (typeof (client as { promise?: unknown }).promise === 'function') {
    invalid("client is mysql2's callback API: pass pool.promise(), or create the pool from 'mysql2/promise'.")
  }
  const name: TableName = { table: options.table, schema: options.schema }
  if (!isValidTableName(name)) invalid('table and schema must be non-empty names of at most 64 characters.')
  const common = resolveCommonStoreOptions(options, 'store-mysql')
  return { client, name, ...common }
}

function invalid(message: string): never {
  throw new SessionConfigError('OPTION_INVALID', `[sess] [store-mysql] ${message}`)
}
