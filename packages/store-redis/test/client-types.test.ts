import { Cluster, Redis } from 'ioredis'
import { createClient, createClientPool, createCluster, createSentinel } from 'redis'
import { describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'

// Real client objects, never connected: they must type-check as `client` and be recognised without a round trip.
describe('redisStore({ client })', () => {
  it('accepts every node-redis and ioredis client kind', () => {
    const clients = [
      createClient(),
      createClientPool(),
      createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:1' }] }),
      createSentinel({ name: 'main', sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }] }),
      new Redis({ lazyConnect: true }),
      new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true }),
    ]
    for (const client of clients) expect(() => redisStore({ client })).not.toThrow()
  })

  it('refuses a client with its own key prefix', () => {
    expect(() => redisStore({ client: new Redis({ lazyConnect: true, keyPrefix: 'app:' }) })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID' }),
    )
  })
})
