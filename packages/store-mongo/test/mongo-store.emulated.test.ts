// The shared conformance suite against an emulated collection (BSON-encoded documents, MongoDB's filter and update
// rules for the operators the store uses), so the mapping is held to the whole contract on every CI run. It stands
// in for a server only where none is available: the real check is mongo-store.integration.test.ts with MONGO_URL.
import { describeStoreConformance, fakeClock } from '@sess/testing'
import { mongoStore } from '../src/index.js'
import { emulatedCollection } from './emulated-collection.js'

const clock = fakeClock()

describeStoreConformance('mongo (emulated collection)', {
  create: () => mongoStore({ collection: emulatedCollection(), clock }),
  capabilities: { getAndTouch: false },
  clock,
})

describeStoreConformance('mongo (emulated collection, hashIds)', {
  async create() {
    const {
      listByUser: _list,
      destroyByUser: _destroy,
      ...store
    } = mongoStore({
      collection: emulatedCollection(),
      clock,
      hashIds: true,
    })
    return store
  },
  capabilities: { getAndTouch: false, users: false },
  clock,
})
