import type { Clock } from '../clock.js'
import { SessionConfigError } from '../errors.js'

/** The options every SQL-style store shares, as a user passes them. */
export interface CommonStoreOptions {
  /** Expired-entry sweeping on writes (`probability` 0 to 1, default 0.05; `limit` ≥ 1, default 100), or `false`. */
  sweep?: { probability?: number | undefined; limit?: number | undefined } | false | undefined
  /** Source of the current time. @default Date.now */
  clock?: Clock | undefined
  /** Store SHA-256 hashes of the ids instead of the ids. @default false */
  hashIds?: boolean | undefined
  /** Keep the opt-in `userAgent` and `ip` of records. @default false */
  deviceMetadata?: boolean | undefined
}

/** {@link CommonStoreOptions} with their defaults applied and checked. */
export interface ResolvedCommonStoreOptions {
  probability: number
  limit: number
  clock: Clock
  hashIds: boolean
  deviceMetadata: boolean
}

/**
 * Applies the defaults of the shared store options (`sweep`, `clock`, `hashIds`, `deviceMetadata`) and checks them;
 * throws `SessionConfigError` (`OPTION_INVALID`) with a message prefixed `[sess] [<storeName>]` on a bad one.
 */
export function resolveCommonStoreOptions(options: CommonStoreOptions, storeName: string): ResolvedCommonStoreOptions {
  const invalid = (message: string): never => {
    throw new SessionConfigError('OPTION_INVALID', `[sess] [${storeName}] ${message}`)
  }
  const sweep = options.sweep === false ? { probability: 0, limit: 1 } : (options.sweep ?? {})
  const probability = sweep.probability ?? 0.05
  const limit = sweep.limit ?? 100
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
    invalid('sweep.probability must be a number from 0 to 1.')
  }
  if (!Number.isInteger(limit) || limit < 1) invalid('sweep.limit must be a positive integer.')
  const clock = options.clock ?? { now: () => Date.now() }
  if (typeof clock?.now !== 'function') invalid('clock must have a now() function.')
  const hashIds = options.hashIds ?? false
  const deviceMetadata = options.deviceMetadata ?? false
  return { probability, limit, clock, hashIds, deviceMetadata }
}
