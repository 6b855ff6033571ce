import type { RedisServer } from '@sess/testing'
import { redisGate, startRedisServer } from '@sess/testing'
import { afterAll, beforeAll, describe } from 'vitest'
import type { ClientKind, TestClient } from './helpers/clients.js'
import { connectStandalone } from './helpers/clients.js'
import { describeRedisConformance } from './helpers/conformance.js'

// Skips without redis-server locally; with CI=true or SESS_REQUIRE_INTEGRATION=1 a missing server fails the file.
const gate = redisGate()
const KINDS: ClientKind[] = ['node-redis', 'ioredis']

describe.skipIf(gate.skip)(gate.title('redisStore on a standalone redis-server'), () => {
  let server: RedisServer | undefined
  const clients = new Map<ClientKind, TestClient>()
  beforeAll(async () => {
    server = await startRedisServer()
    for (const kind of KINDS) clients.set(kind, await connectStandalone(kind, server.url))
  })
  afterAll(async () => {
    for (const client of clients.values()) await client.close()
    await server?.stop()
  })

  for (const kind of KINDS) describeRedisConformance(`redis standalone, ${kind}`, () => clients.get(kind)!)
})
