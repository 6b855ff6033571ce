// The shared conformance suite against an emulated collection (BSON-encoded documents, MongoDB's filter and update
// rules for the operators the store uses), so the mapping is held to the whole contract on every CI run. It stands
// in for a server only where none is available: the real check is mongo-store.integration.test.ts with MONGO_URL.
import type { Store } from '@sess/core'
import { hashSessionId } from '@sess/core'
import type { CorruptionKind } from '@sess/testing'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import type { MongoStore } from '../src/index.js'
import { mongoStore } from '../src/index.js'
import { emulatedCollection } from './emulated-collection.js'
import { corruptDocument } from './helpers.js'

const hashed = new WeakSet<Store>()

/** Writes a corrupt document under session `id` of a store made by the factories below. */
async function plantCorrupt(store: Store, id: string, kind: CorruptionKind, ttl: number, now: number): Promise<void> {
  const _id = hashed.has(store) ? await hashSessionId(id) : id
  await (store as MongoStore).collection.replaceOne({ _id }, corruptDocument(kind, now, ttl) as never, { upsert: true })
}

const clock = fakeClock()

describeStoreConformance('mongo (emulated collection)', {
  create(options) {
    const store = mongoStore({
      collection: emulatedCollection(),
      clock: options?.clock ?? clock,
      hashIds: options?.hashIds,
    })
    if (options?.hashIds) hashed.add(store)
    return store
  },
  corrupt: (store, id, kind, ttl) => plantCorrupt(store, id, kind, ttl, clock.now()),
  capabilities: { getAndTouch: false },
  clock,
})

describeStoreConformance('mongo (emulated collection, hashIds)', {
  create(options) {
    const store = mongoStore({ collection: emulatedCollection(), clock: options?.clock ?? clock, hashIds: true })
    hashed.add(store)
    // The shared per-user tests compare listed ids with raw ids: the hashed listing has its own case in the suite
    // above, so here the store goes without its per-user methods.
    const { listByUser: _list, destroyByUser: _destroy, ...rest } = store
    hashed.add(rest as Store)
    return rest
  },
  corrupt: (store, id, kind, ttl) => plantCorrupt(store, id, kind, ttl, clock.now()),
  capabilities: { getAndTouch: false, users: false, hashIds: false },
  clock,
})
