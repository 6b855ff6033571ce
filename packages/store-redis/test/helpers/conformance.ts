import { randomUUID } from 'node:crypto'
import type { Store } from '@sess/core'
import { describeStoreConformance } from '@sess/testing'
import { redisStore } from '../../src/index.js'
import type { TestClient } from './clients.js'
import { redisSpecificTests } from './store-specific.js'

/** The shared store suite plus the Redis-specific tests, for one connected client (resolved lazily). */
export function describeRedisConformance(name: string, client: () => TestClient): void {
  const prefixes = new WeakMap<Store, string>()
  describeStoreConformance(name, {
    create() {
      const prefix = `sess-test:${randomUUID()}:`
      const store = redisStore({ client: client().client, prefix })
      prefixes.set(store, prefix)
      return store
    },
    cleanup: (store) => store.clear?.(),
    additionalTests: (ctx) => redisSpecificTests(ctx, client, (store) => prefixes.get(store)!),
  })
}
