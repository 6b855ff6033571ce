// The shared store conformance suite and the MongoDB-specific checks, against the server named by MONGO_URL.
// No MongoDB-compatible server can be installed on our machines, so without MONGO_URL the whole file reports itself
// skipped, with the reason, in CI as well (DESIGN.md §4). Every test uses collections of its own (random names in the
// database named by MONGO_URL, `test` by default) and drops them afterwards.
import { randomUUID } from 'node:crypto'
import type { Clock, SessionEvent, Store, StoredSession } from '@sess/core'
import { createSessionManager, hashSessionId, recordProblem } from '@sess/core'
import { describeStoreConformance } from '@sess/testing'
import type { Collection, Db, UpdateFilter } from 'mongodb'
import { MongoClient } from 'mongodb'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { MongoStore, MongoStoreOptions, SessionDocument } from '../src/index.js'
import { mongoStore } from '../src/index.js'
import { cookieFor, corruptDocument, SECRET, tcpServer } from './helpers.js'

interface LooseDocument {
  _id: string
  [field: string]: unknown
}

const MONGO_URL = process.env.MONGO_URL
const SKIP_REASON = 'MONGO_URL not set: no MongoDB-compatible server can be installed on this machine'
if (!MONGO_URL) console.warn(`[store-mongo] Skipping the MongoDB integration tests: ${SKIP_REASON}.`)
const TITLE = MONGO_URL ? 'store-mongo against MONGO_URL' : `store-mongo against MONGO_URL [skipped: ${SKIP_REASON}]`

describe.skipIf(!MONGO_URL)(TITLE, () => {
  let client: MongoClient
  let db: Db
  // Stores of the shared suite are dropped when it has finished (its tests run concurrently); this file's own
  // tests drop their collections after each test.
  const suiteCollections = new Map<Store, Collection<SessionDocument>>()
  const created: Collection<SessionDocument>[] = []

  beforeAll(async () => {
    client = new MongoClient(MONGO_URL!, { serverSelectionTimeoutMS: 5000 })
    await client.connect()
    db = client.db()
  })
  afterAll(async () => {
    await client?.close()
  })

  const newCollection = (): Collection<SessionDocument> =>
    db.collection<SessionDocument>(`sess_test_${randomUUID().replaceAll('-', '')}`)

  /** A store on a new collection, with its indexes unless `indexes: false`. */
  const open = async (
    options: { hashIds?: boolean | undefined; indexes?: boolean; clock?: Clock | undefined } = {},
  ): Promise<{ store: MongoStore; collection: Collection<SessionDocument> }> => {
    const collection = newCollection()
    const store = mongoStore({ collection, hashIds: options.hashIds, clock: options.clock } satisfies MongoStoreOptions)
    if (options.indexes !== false) await store.ensureIndexes()
    return { store, collection }
  }

  /** {@link open}, for this file's own tests: the collection is dropped after the test. */
  const fresh: typeof open = async (options) => {
    const opened = await open(options)
    created.push(opened.collection)
    return opened
  }

  const drop = async (store: Store): Promise<void> => {
    await suiteCollections.get(store)?.drop()
    suiteCollections.delete(store)
  }

  // getAndTouch is left out on purpose (README, "What a request costs"): the core reads with get and touches when due.
  const hashed = new WeakSet<Store>()
  describeStoreConformance('mongo', {
    async create(options) {
      const { store, collection } = await open(options)
      suiteCollections.set(store, collection)
      if (options?.hashIds) hashed.add(store)
      return store
    },
    async corrupt(store, id, kind, ttl) {
      const _id = hashed.has(store) ? await hashSessionId(id) : id
      const doc = corruptDocument(kind, Date.now(), ttl)
      await loose(suiteCollections.get(store)!).replaceOne({ _id }, doc, { upsert: true })
    },
    cleanup: drop,
    capabilities: { getAndTouch: false },
  })

  // With hashIds, listByUser answers with '#' + hashes, not the ids the shared suite expects: the per-user index is
  // covered by the suite's hashed-id case above and the tests below instead.
  describeStoreConformance('mongo (hashIds)', {
    async create(options) {
      const { store, collection } = await open({ ...options, hashIds: true })
      const { listByUser: _list, destroyByUser: _destroy, ...rest } = store
      suiteCollections.set(rest, collection)
      return rest
    },
    cleanup: drop,
    capabilities: { getAndTouch: false, users: false, hashIds: false },
  })

  const record = (data: Record<string, unknown> = { views: 1 }, overrides: Partial<StoredSession> = {}) => {
    const now = Date.now()
    return { data, createdAt: now, expiresAt: now + 3_600_000, version: 1, ...overrides } satisfies StoredSession
  }
  const raw = (collection: Collection<SessionDocument>, _id: string) => collection.findOne({ _id })
  /** The same collection without the document type, to write shapes the store never writes. */
  const loose = (collection: Collection<SessionDocument>) => db.collection<LooseDocument>(collection.collectionName)

  describe('MongoDB specifics', () => {
    afterEach(async () => {
      await Promise.all(created.splice(0).map((collection) => collection.drop().catch(() => {})))
    })

    describe('ensureIndexes', () => {
      const shape = async (collection: Collection<SessionDocument>) =>
        (await collection.indexes())
          .map(({ name, key, expireAfterSeconds, partialFilterExpression, sparse, unique }) => ({
            name,
            key,
            expireAfterSeconds,
            partialFilterExpression,
            sparse,
            unique,
          }))
          .sort((a, b) => String(a.name).localeCompare(String(b.name)))

      it('creates exactly the TTL index and the partial user index, and is idempotent', async () => {
        const { store, collection } = await fresh({ indexes: false })
        await store.ensureIndexes()
        const first = await shape(collection)
        expect(first).toEqual([
          { name: '_id_', key: { _id: 1 } },
          { name: 'expiresAt_1', key: { expiresAt: 1 }, expireAfterSeconds: 0 },
          { name: 'userId_1', key: { userId: 1 }, partialFilterExpression: { userId: { $exists: true } } },
        ])
        await store.ensureIndexes()
        await Promise.all([store.ensureIndexes(), store.ensureIndexes()])
        expect(await shape(collection)).toEqual(first)
      })

      it('rejects, changing nothing, when an index of the same name has other options', async () => {
        const { store, collection } = await fresh({ indexes: false })
        await collection.createIndex({ expiresAt: 1 }, { name: 'expiresAt_1' })
        await expect(store.ensureIndexes()).rejects.toHaveProperty('code')
        expect(
          (await shape(collection)).find((index) => index.name === 'expiresAt_1')?.expireAfterSeconds,
        ).toBeUndefined()
      })

      it('lets listByUser use the user index', async (ctx) => {
        const { store, collection } = await fresh()
        for (let i = 0; i < 50; i++) await store.set(`free-${i}`, record(), 3600)
        await store.set('mine', record({}, { userId: 'u1' }), 3600)
        expect((await store.listByUser('u1')).map((s) => s.id)).toEqual(['mine'])
        const explain = await collection.find({ userId: 'u1', expiresAt: { $gt: new Date() } }).explain()
        const plan = (explain as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan
        if (plan === undefined) ctx.skip('the server gives no MongoDB-style query plan')
        expect(JSON.stringify(plan)).toContain('userId_1')
      })
    })

    describe('expiry between TTL monitor runs', () => {
      it('never serves, extends, patches, lists or counts a document past expiresAt that is still there', async () => {
        // No TTL index on this collection, so the document stays, as it would until the monitor's next pass.
        const { store, collection } = await fresh({ indexes: false })
        const past = new Date(Date.now() - 1000)
        const stale = { data: { a: 1 }, expiresAt: past, createdAt: new Date(Date.now() - 60_000), version: 1 }
        await collection.insertOne({ _id: 'stale', ...stale, userId: 'u1' })
        expect(await store.get('stale')).toBeNull()
        await store.touch('stale', Date.now() + 3_600_000, 3600)
        expect(await store.patch('stale', { set: { b: 2 }, unset: [], expiresAt: Date.now() + 3_600_000 }, 3600)).toBe(
          'missing',
        )
        const strict = { set: { b: 2 }, unset: [], expiresAt: Date.now() + 3_600_000, expectedVersion: 1 }
        expect(await store.patch('stale', strict, 3600)).toBe('missing')
        expect(await store.listByUser('u1')).toEqual([])
        expect(await store.count()).toBe(0)
        expect(await store.destroyByUser('u1')).toBe(0)
        expect(await raw(collection, 'stale')).toEqual({ _id: 'stale', ...stale, userId: 'u1' })
      })
    })

    describe('documents', () => {
      it('are shaped as documented: data a sub-document with escaped keys, BSON dates, version, user, maxAge', async () => {
        const { store, collection } = await fresh()
        const input = record(
          { views: 2, 'a.b': { $c: [{ '': 'empty' }] }, cart: { items: ['x'] } },
          { version: 4, userId: 'u1', maxAge: 600 },
        )
        await store.set('sid', input, 3600)
        expect(await raw(collection, 'sid')).toEqual({
          _id: 'sid',
          data: { views: 2, 'a%2Eb': { '%24c': [{ '%': 'empty' }] }, cart: { items: ['x'] } },
          expiresAt: new Date(input.expiresAt),
          createdAt: new Date(input.createdAt),
          version: 4,
          userId: 'u1',
          maxAge: 600,
        })
        const typed = {
          _id: 'sid',
          data: { $type: 'object' },
          expiresAt: { $type: 'date' },
          createdAt: { $type: 'date' },
        }
        expect(await loose(collection).countDocuments(typed)).toBe(1)
        expect(await collection.countDocuments({ _id: 'sid', 'data.cart.items': 'x' })).toBe(1)

        await store.patch(
          'sid',
          { set: { 'x.y': 1 }, unset: ['views'], expiresAt: input.expiresAt, userId: null },
          3600,
        )
        const patched = await raw(collection, 'sid')
        expect(patched?.data).toEqual({ 'a%2Eb': { '%24c': [{ '%': 'empty' }] }, cart: { items: ['x'] }, 'x%2Ey': 1 })
        expect(patched).not.toHaveProperty('userId')
        expect(patched?.version).toBe(5)
        expect(await store.get('sid')).toEqual({
          ...input,
          data: { 'a.b': { $c: [{ '': 'empty' }] }, cart: { items: ['x'] }, 'x.y': 1 },
          version: 5,
          userId: undefined,
        })
      })

      it('with hashIds hold the SHA-256 of the id, never the id, and list the user’s sessions as # + hash', async () => {
        const { store, collection } = await fresh({ hashIds: true })
        const id = `secret-${randomUUID()}`
        await store.set(id, record({ a: 1 }, { userId: 'u1' }), 3600)
        await store.set('other', record({ a: 2 }, { userId: 'u1' }), 3600)
        const doc = await raw(collection, await hashSessionId(id))
        expect(doc?.data).toEqual({ a: 1 })
        expect(JSON.stringify(await collection.find().toArray())).not.toContain(id)
        expect(await store.get(id)).toMatchObject({ data: { a: 1 } })
        expect(await store.get(await hashSessionId(id))).toBeNull()
        expect((await store.listByUser('u1')).map((s) => s.id).sort()).toEqual(
          [`#${await hashSessionId(id)}`, `#${await hashSessionId('other')}`].sort(),
        )
        expect(await store.destroyByUser('u1', { except: id })).toBe(1)
        expect(await store.get(id)).not.toBeNull()
        expect(await store.get('other')).toBeNull()
      })

      it.each<[string, UpdateFilter<LooseDocument>]>([
        ['data as a JSON string', { $set: { data: '{"views":1}' } }],
        ['data as an array', { $set: { data: [1, 2] } }],
        ['expiresAt as a number', { $set: { expiresAt: Date.now() + 3_600_000 } }],
        ['expiresAt as a string', { $set: { expiresAt: new Date(Date.now() + 3_600_000).toISOString() } }],
        ['no createdAt', { $unset: { createdAt: '' } }],
        ['version as a string', { $set: { version: '1' } }],
        ['userId as a number', { $set: { userId: 7 } }],
        ['data as null', { $set: { data: null } }],
      ])(
        'with %s reads as an invalid record, never an error, and nothing else counts or patches it',
        async (_, corruption) => {
          const { store, collection } = await fresh()
          await store.set('sid', record({ views: 1 }, { userId: 'u1' }), 3600)
          await loose(collection).updateOne({ _id: 'sid' }, corruption)
          expect(recordProblem(await store.get('sid'))).toEqual(expect.any(String))
          expect(await store.listByUser('u1')).toEqual([])
          expect(await store.count()).toBe(0)
          const patch = { set: { b: 2 }, unset: [], expiresAt: Date.now() + 3_600_000 }
          expect(await store.patch('sid', patch, 3600)).toBe('missing')
          expect(await store.destroyByUser('u1')).toBe(0)
        },
      )

      it('a corrupt document gives the request a fresh session through the core', async () => {
        const { store, collection } = await fresh()
        const events: SessionEvent['type'][] = []
        const manager = createSessionManager({ secret: SECRET, store, onEvent: (event) => events.push(event.type) })
        await store.set('sid', record({ views: 1 }), 3600)
        await loose(collection).updateOne({ _id: 'sid' }, { $set: { data: 'not an object' } })
        const handle = await manager.load({ cookie: await cookieFor('sid') })
        expect(handle.session.isNew).toBe(true)
        expect(handle.session.id).not.toBe('sid')
        expect(events).toContain('record-invalid')
      })
    })

    describe('concurrency', () => {
      it('keeps all of many concurrent patches of different keys', async () => {
        const { store } = await fresh()
        await store.set('sid', record({ base: true }, { version: 1 }), 3600)
        const expiresAt = Date.now() + 3_600_000
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.patch('sid', { set: { [`k${i}`]: i }, unset: [], expiresAt }, 3600),
          ),
        )
        expect(results).toEqual(Array(20).fill('ok'))
        const got = await store.get('sid')
        expect(got?.data).toEqual({
          base: true,
          ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
        })
        expect(got?.version).toBe(21)
      })

      it('lets exactly one of concurrent strict patches from the same version win', async () => {
        const { store } = await fresh()
        await store.set('sid', record({ a: 0 }, { version: 7 }), 3600)
        const expiresAt = Date.now() + 3_600_000
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.patch('sid', { set: { a: i + 1 }, unset: [], expiresAt, expectedVersion: 7 }, 3600),
          ),
        )
        expect(results.filter((r) => r === 'ok')).toHaveLength(1)
        expect(results.filter((r) => r === 'conflict')).toHaveLength(9)
        const got = await store.get('sid')
        expect(got?.version).toBe(8)
        expect(got?.data.a).toBe(results.indexOf('ok') + 1)
      })

      it('merges two requests of the same session that change different keys (through the core)', async () => {
        const { store } = await fresh()
        const manager = createSessionManager<Record<string, unknown>>({ secret: SECRET, store })
        const first = await manager.load({})
        first.session.set('base', 1)
        const [setCookie] = (await first.commit()).setCookie
        const cookie = setCookie!.split(';')[0]!
        const [left, right] = await Promise.all([manager.load({ cookie }), manager.load({ cookie })])
        left.session.set('left', 'L')
        right.session.set('right', 'R')
        await Promise.all([left.commit(), right.commit()])
        expect((await store.get(first.session.id))?.data).toEqual({ base: 1, left: 'L', right: 'R' })
      })

      it('rejects the stale one of two strict requests with SESSION_CONFLICT (through the core)', async () => {
        const { store } = await fresh()
        const manager = createSessionManager<Record<string, unknown>>({ secret: SECRET, store, strict: true })
        const first = await manager.load({})
        first.session.set('n', 0)
        const cookie = (await first.commit()).setCookie[0]!.split(';')[0]!
        const [a, b] = await Promise.all([manager.load({ cookie }), manager.load({ cookie })])
        a.session.set('n', 1)
        b.session.set('n', 2)
        await a.commit()
        await expect(b.commit()).rejects.toMatchObject({ code: 'SESSION_CONFLICT' })
        expect((await store.get(first.session.id))?.data).toEqual({ n: 1 })
      })
    })

    describe('failures', () => {
      it('recovers without a restart when the server comes back', async (ctx) => {
        const target = await primaryAddress(client)
        const url = target === undefined ? undefined : proxiedUrl(MONGO_URL!, 0)
        if (target === undefined || url === undefined) ctx.skip('MONGO_URL is not a plain mongodb:// URL to proxy')
        const proxy = await tcpServer(target!)
        const proxied = new MongoClient(proxiedUrl(MONGO_URL!, proxy.port)!, {
          serverSelectionTimeoutMS: 3000,
          heartbeatFrequencyMS: 500,
        })
        try {
          await proxied.connect()
          const collection = newCollection()
          created.push(collection)
          const store = mongoStore({ collection: proxied.db(db.databaseName).collection(collection.collectionName) })
          await store.set('sid', record({ up: true }), 3600)
          await proxy.stop()
          await expect(store.get('sid')).rejects.toThrow()
          await proxy.start()
          expect((await store.get('sid'))?.data).toEqual({ up: true })
        } finally {
          await proxied.close()
          await proxy.stop()
        }
      })
    })
  })
})

/** The host and port of the primary (or the only server), where a proxy must forward to. */
async function primaryAddress(client: MongoClient): Promise<{ host: string; port: number } | undefined> {
  const hello = await client.db('admin').command({ hello: 1 })
  const address = (hello.primary ?? hello.me ?? firstHost(MONGO_URL!)) as string | undefined
  const match = address === undefined ? null : /^\[?([^\]]+?)\]?:(\d+)$/.exec(address)
  if (match) return { host: match[1]!, port: Number(match[2]) }
  return address === undefined ? undefined : { host: address, port: 27017 }
}

function firstHost(url: string): string | undefined {
  return /^mongodb:\/\/(?:[^@/]*@)?([^,/?]+)/.exec(url)?.[1]
}

/** MONGO_URL with its hosts replaced by a loopback proxy, connecting directly (no replica set discovery). */
function proxiedUrl(url: string, port: number): string | undefined {
  const match = /^mongodb:\/\/([^@/]*@)?[^/?]+(\/[^?]*)?(?:\?(.*))?$/.exec(url)
  if (!match) return undefined
  const [, auth = '', path = '/', query = ''] = match
  const params = new URLSearchParams(query)
  params.delete('replicaSet')
  params.set('directConnection', 'true')
  if (params.get('tls') === 'true' || params.get('ssl') === 'true') params.set('tlsAllowInvalidHostnames', 'true')
  return `mongodb://${auth}127.0.0.1:${port}${path}?${params}`
}
