import { spawnSync } from 'node:child_process'
import { integrationGate } from '@sess/testing'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import type { ClientKind, TestClient } from './helpers/clients.js'
import { connectCluster } from './helpers/clients.js'
import { describeRedisConformance } from './helpers/conformance.js'
import type { RedisCluster } from './helpers/redis-process.js'
import { startRedisCluster } from './helpers/redis-process.js'

const missing = ['redis-server', 'redis-cli'].filter(
  (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status !== 0,
)
// A cluster is always started here (REDIS_URL cannot stand in for one); on CI a missing binary fails the file.
const gate = integrationGate(
  'Redis Cluster',
  missing.length > 0 ? `${missing.join(' and ')} not on PATH (apt-get install redis-server)` : undefined,
)
const KINDS: ClientKind[] = ['node-redis', 'ioredis']

describe.skipIf(gate.skip)(gate.title('redisStore on a 3-master Redis Cluster'), () => {
  let cluster: RedisCluster | undefined
  const clients = new Map<ClientKind, TestClient>()
  beforeAll(async () => {
    cluster = await startRedisCluster(3)
    const ports = cluster.nodes.map((n) => n.port)
    for (const kind of KINDS) clients.set(kind, await connectCluster(kind, ports))
  })
  afterAll(async () => {
    for (const client of clients.values()) await client.close()
    await cluster?.stop()
  })

  for (const kind of KINDS) describeRedisConformance(`redis cluster, ${kind}`, () => clients.get(kind)!)

  // A prefix with a hash tag puts every key in one slot, so the standalone scripts (index kept in the same script,
  // with a TTL) work on a cluster too, at the price of all sessions living on one node.
  it.each(KINDS)(
    '%s: a hash-tagged prefix with cluster: false keeps the index in the session scripts',
    async (kind) => {
      const client = clients.get(kind)!
      const prefix = `{sess-${randomUUID()}}:`
      const store = redisStore({ client: client.client, prefix, cluster: false })
      const now = Date.now()
      const record = (device: string) => ({
        data: { device },
        createdAt: now,
        expiresAt: now + 60_000,
        version: 1,
        userId: 'u',
      })
      await store.set('a', record('phone'), 60)
      await store.set('b', record('laptop'), 60)
      expect((await store.listByUser('u')).map((s) => s.id).sort()).toEqual(['a', 'b'])
      expect(Number(await client.raw(`${prefix}user:u`, 'PTTL', `${prefix}user:u`))).toBeGreaterThan(0)
      expect(await store.destroyByUser('u', { except: 'b' })).toBe(1)
      expect(await store.count()).toBe(1)
      await store.clear()
      expect(await store.count()).toBe(0)
    },
  )
})
