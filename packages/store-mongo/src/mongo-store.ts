import type { AsyncStore, Clock, PatchResult, SessionPatch, UserSession } from '@sess/core'
import { hashSessionId, recordProblem, SessionConfigError } from '@sess/core'
import type { Collection, Db, Document, FindOptions, IndexDescription } from 'mongodb'
import type { SessionDocument } from './internal/document.js'
import { expiryOf, toDocument, toRecord } from './internal/document.js'
import { soundFilter } from './internal/filter.js'
import { escapeKey, toStored } from './internal/keys.js'

interface MongoStoreBaseOptions {
  /**
   * Store `hashSessionId(id)` (from @sess/core: SHA-256, hex) as `_id` instead of the id, so a leaked collection
   * does not hand out working session cookies. `listByUser` then lists ids as `'#' + hashSessionId(id)`, which
   * `destroy` and `destroyByUser`'s `except` accept as they are (see the README). @default false
   */
  hashIds?: boolean | undefined
  /** Source of the current time, for tests; it decides which documents count as expired. @default Date.now */
  clock?: Clock | undefined
}

/** Options of {@link mongoStore} with a collection the app already has. */
export interface MongoStoreCollectionOptions extends MongoStoreBaseOptions {
  /** The sessions collection, from a `MongoClient` the app owns (the store never connects or closes). */
  collection: Collection<SessionDocument>
  db?: undefined
  collectionName?: undefined
}

/** Options of {@link mongoStore} with a database and a collection name. */
export interface MongoStoreDbOptions extends MongoStoreBaseOptions {
  /** The database, from a `MongoClient` the app owns (the store never connects or closes). */
  db: Db
  /** The collection's name. @default 'sessions' */
  collectionName?: string | undefined
  collection?: undefined
}

/** Options of {@link mongoStore}: a `collection`, or a `db` and a `collectionName`. */
export type MongoStoreOptions = MongoStoreCollectionOptions | MongoStoreDbOptions

/** A {@link AsyncStore} on a MongoDB collection, with the per-user index and {@link MongoStore.ensureIndexes}. */
export interface MongoStore extends Required<Omit<AsyncStore, 'getAndTouch'>> {
  /** The collection the store uses. */
  readonly collection: Collection<SessionDocument>
  /**
   * Creates the TTL index on `expiresAt` (`expireAfterSeconds: 0`) and the partial index on `userId`. Idempotent;
   * call it once at boot, never per request. Rejects if an index with the same name but other options exists.
   */
  ensureIndexes(): Promise<void>
}

// The TTL index (documents go once expiresAt has passed) and the per-user index, partial because most sessions
// are never bound to a user.
const INDEXES: readonly IndexDescription[] = [
  { key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 0 },
  { key: { userId: 1 }, name: 'userId_1', partialFilterExpression: { userId: { $exists: true } } },
]

const DUPLICATE_KEY = 11000

// An app may configure its client to hand out BSON wrappers or bigints; the mapping needs plain numbers.
const READ: FindOptions = { promoteValues: true, promoteLongs: true, useBigInt64: false }

/**
 * A session store on a MongoDB collection: one document per session, expired by a TTL index and filtered on read
 * (the TTL monitor runs only about once a minute), field-level patches, and per-user listing and revocation.
 * Driver errors propagate; the core wraps them in `SessionStoreError`, bounded by `storeTimeout`.
 *
 * @example
 * ```ts
 * const client = new MongoClient(process.env.MONGO_URL, { serverSelectionTimeoutMS: 2000 })
 * await client.connect() // at boot: a client whose first connection fails stays closed
 * const store = mongoStore({ db: client.db('app') })
 * await store.ensureIndexes() // at boot, never per request
 * app.use(session({ secret: process.env.SESSION_SECRET, store }))
 * ```
 */
export function mongoStore(options: MongoStoreOptions): MongoStore {
  const collection = resolveCollection(options)
  const clock = options.clock ?? { now: () => Date.now() }
  const hashIds = options.hashIds === true
  const key = (id: string): string | Promise<string> => (hashIds ? hashSessionId(id) : id)
  // Only the administrative calls take a listed '#' id: a cookie naming one can never load a session.
  const keyOrListed = (id: string): string | Promise<string> =>
    hashIds && id.startsWith(HASHED_ID_MARK) ? id.slice(HASHED_ID_MARK.length) : key(id)
  const sound = (): Document => soundFilter(new Date(clock.now()))

  return {
    collection,
    async ensureIndexes() {
      await collection.createIndexes([...INDEXES])
    },
    async get(id) {
      // By _id alone: a document whose fields are broken is reported (invalidRecord), not passed off as a miss.
      const doc = (await collection.findOne({ _id: await key(id) }, READ)) as Record<string, unknown> | null
      if (doc === null) return null
      const expires = expiryOf(doc)
      return expires !== undefined && expires <= clock.now() ? null : toRecord(doc)
    },
    async set(id, session) {
      const _id = await key(id)
      const replace = () => collection.replaceOne({ _id }, toDocument(session), { upsert: true })
      try {
        await replace()
      } catch (error) {
        // Two upserts of a new id can race to insert; MongoDB 4.2+ retries that itself, a compatible server may not.
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error
        await replace()
      }
    },
    async destroy(id) {
      await collection.deleteOne({ _id: await keyOrListed(id) })
    },
    async touch(id, expiresAt) {
      // No upsert: a touch never brings back a destroyed or expired session, nor extends a broken one.
      const filter = { _id: await key(id), ...sound() }
      await collection.updateOne(filter, { $set: { expiresAt: new Date(expiresAt) } })
    },
    async patch(id, patch): Promise<PatchResult> {
      const _id = await key(id)
      const filter: Document = { _id, ...sound() }
      if (patch.expectedVersion !== undefined) filter.version = { ...filter.version, $eq: patch.expectedVersion }
      const result = await collection.updateOne(filter, patchUpdate(patch))
      if (result.matchedCount > 0 || !result.acknowledged) return 'ok'
      if (patch.expectedVersion === undefined) return 'missing'
      // Only a failed compare-and-set pays a second query, to tell a stale version from a vanished session.
      const exists = await collection.findOne({ _id, ...sound() }, { projection: { _id: 1 } })
      return exists === null ? 'missing' : 'conflict'
    },
    async listByUser(userId) {
      const docs = await collection.find({ userId, ...sound() }, READ).toArray()
      const list: UserSession[] = []
      for (const doc of docs) {
        const session = toRecord(doc as unknown as Record<string, unknown>)
        // With hashIds the id listed is '#' + the hash: it cannot be turned back into a working cookie.
        if (recordProblem(session) === undefined)
          list.push({ id: hashIds ? HASHED_ID_MARK + doc._id : doc._id, session })
      }
      return list
    },
    async destroyByUser(userId, options) {
      const filter: Document = { userId, ...sound() }
      if (options?.except !== undefined) filter._id = { $ne: await keyOrListed(options.except) }
      return (await collection.deleteMany(filter)).deletedCount
    },
    async clear() {
      await collection.deleteMany({})
    },
    count() {
      return collection.countDocuments(sound())
    },
  } satisfies MongoStore
}

/** Marks an id listed with `hashIds`: `'#' + hashSessionId(id)`, the same form in every sess store. */
const HASHED_ID_MARK = '#'

/** One updateOne document for a change set: only the changed top-level keys, the expiry and the version. */
function patchUpdate(patch: SessionPatch): Document {
  const $set: Document = { expiresAt: new Date(patch.expiresAt) }
  const $unset: Document = {}
  for (const [name, value] of Object.entries(patch.set)) {
    const stored = toStored(value)
    if (stored === undefined || typeof stored === 'function' || typeof stored === 'symbol') {
      $unset[`data.${escapeKey(name)}`] = ''
    } else $set[`data.${escapeKey(name)}`] = stored
  }
  for (const name of patch.unset) $unset[`data.${escapeKey(name)}`] = ''
  if (patch.userId === null) $unset.userId = ''
  else if (patch.userId !== undefined) $set.userId = patch.userId
  if (patch.maxAge !== undefined) $set.maxAge = patch.maxAge
  const update: Document = { $set, $inc: { version: 1 } }
  if (Object.keys($unset).length > 0) update.$unset = $unset
  return update
}

function resolveCollection(options: MongoStoreOptions): Collection<SessionDocument> {
  if (options.collection !== undefined && options.db === undefined) return options.collection
  if (options.db !== undefined && options.collection === undefined) {
    return options.db.collection(options.collectionName ?? 'sessions')
  }
  throw new SessionConfigError(
    'OPTION_INVALID',
    '[sess] [store-mongo] Pass either `collection`, or `db` (and optionally `collectionName`), to mongoStore().',
  )
}
