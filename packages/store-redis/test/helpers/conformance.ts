import { randomUUID } from 'node:crypto'
import type { Store } from '@sess/core'
import { hashSessionId } from '@sess/core'
import type { CorruptionKind } from '@sess/testing'
import { describeStoreConformance } from '@sess/testing'
import { redisStore } from '../../src/index.js'
import type { TestClient } from './clients.js'
import { redisSpecificTests } from './store-specific.js'

/** The raw command that plants each kind of corrupt record under `key`, expiring in `ttl` seconds. */
function corruption(kind: CorruptionKind, key: string, ttl: number): string[][] {
  const now = Date.now()
  const expire = ['PEXPIRE', key, String(ttl * 1000)]
  switch (kind) {
    case 'undecodable':
      // Sound meta fields, a data value that is not JSON: only the decoder in JavaScript can tell.
      return [
        ['HSET', key, 'createdAt', String(now), 'expiresAt', String(now + ttl * 1000), 'version', '1', 'd:a', '{no'],
        expire,
      ]
    case 'wrong-shape':
      // What connect-redis writes: a JSON string, not a hash.
      return [['SET', key, '{"cookie":{"originalMaxAge":1000},"views":1}', 'PX', String(ttl * 1000)]]
    case 'null-fields':
      return [['HSET', key, 'createdAt', '', 'expiresAt', '', 'version', '', 'd:a', '1'], expire]
  }
}

/** The shared store suite plus the Redis-specific tests, for one connected client (resolved lazily). */
export function describeRedisConformance(name: string, client: () => TestClient): void {
  const stores = new WeakMap<Store, { prefix: string; hashIds: boolean }>()
  describeStoreConformance(name, {
    create(options) {
      const prefix = `sess-test:${randomUUID()}:`
      const store = redisStore({ client: client().client, prefix, clock: options?.clock, hashIds: options?.hashIds })
      stores.set(store, { prefix, hashIds: options?.hashIds === true })
      return store
    },
    async corrupt(store, id, kind, ttl) {
      const { prefix, hashIds } = stores.get(store)!
      const key = prefix + (hashIds ? await hashSessionId(id) : id)
      for (const command of corruption(kind, key, ttl)) await client().raw(key, ...command)
    },
    cleanup: (store) => store.clear?.(),
    additionalTests: (ctx) => redisSpecificTests(ctx, client, (store) => stores.get(store)!.prefix),
  })
}
