import type { Document } from 'mongodb'

const NOT_ARRAY = { $not: { $type: 'array' } }

/**
 * The documents {@link toRecord} can read, unexpired at `now`, as a server-side filter: every query that answers
 * for sessions (touch, patch, count, destroyByUser) uses it, so none of them counts, extends or half-updates a
 * document that `get` reports as invalid (a patch on `data: null` would fail with driver error 28). `$type` alone
 * also matches an array holding such a value, hence the `$not` array on each field.
 */
export function soundFilter(now: Date): Document {
  return {
    expiresAt: { $gt: now, ...NOT_ARRAY },
    createdAt: { $type: 'date', ...NOT_ARRAY },
    // Range bounds leave out NaN and the infinities, which toRecord rejects.
    version: { $type: 'number', $gte: -Number.MAX_VALUE, $lte: Number.MAX_VALUE, ...NOT_ARRAY },
    data: { $type: 'object', ...NOT_ARRAY },
    $nor: [
      { userId: { $exists: true, $not: { $type: 'string' } } },
      { maxAge: { $exists: true, $not: { $type: ['null', 'number'] } } },
    ],
  }
}
