import { inspect } from 'node:util'
import { createSessionManager, isSessionError } from '@sess/core'
import { redisGate } from '@sess/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import type { RedisProcess } from './helpers/redis-process.js'
import { freePort, spawnRedis } from './helpers/redis-process.js'

// The test fills its own redis-server's memory limit, so REDIS_URL (a shared server) cannot stand in for it.
const gate = redisGate({ ...process.env, REDIS_URL: undefined })
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const MARKER = 'card-4111-1111-1111-1111'

describe.skipIf(gate.skip)(gate.title('errors a store wraps carry no session id or data (issue 17.9)'), () => {
  let redis: RedisProcess
  let client: Redis
  beforeAll(async () => {
    redis = await spawnRedis(await freePort())
    client = new Redis(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true })
    client.on('error', () => {})
    await client.connect()
  })
  afterAll(async () => {
    client.disconnect()
    await redis.stop()
  })

  it('ioredis: a server error on a write prints neither the id nor the data, and keeps name, message and code', async () => {
    const store = redisStore({ client, prefix: 'scrub:' })
    const manager = createSessionManager({ secret: SECRET, store })
    const first = await manager.load({ cookie: undefined })
    first.session.set('views' as never, 1 as never)
    const { setCookie } = await first.commit()
    const cookie = setCookie[0]!.split(';')[0]!
    const handle = await manager.load({ cookie })
    const id = handle.session.id
    expect(id.length).toBeGreaterThan(20)

    // A real server error: writes refused once the memory limit is reached.
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')
    await client.call('CONFIG', 'SET', 'maxmemory', '1')
    try {
      // The client's own error holds the command's arguments: the key (so the id) and the data.
      const patch = { set: { secret: MARKER }, unset: [], expiresAt: Date.now() + 60_000 }
      const direct = await store.patch(id, patch, 60).catch((e: unknown) => e)
      expect(inspect(direct, { depth: 10 })).toContain(id)
      expect(inspect(direct, { depth: 10 })).toContain(MARKER)

      handle.session.set('secret' as never, MARKER as never)
      const error = await handle.commit().catch((e: unknown) => e)
      expect(isSessionError(error)).toBe(true)
      expect(error).toMatchObject({ name: 'SessionStoreError', code: 'STORE_FAILURE' })
      const printed = inspect(error, { depth: 10 })
      expect(printed).not.toContain(id)
      expect(printed).not.toContain(MARKER)
      const cause = (error as Error).cause as Error
      expect(cause.name).toBe('ReplyError')
      expect(cause.message).toMatch(/OOM/)
      expect(printed).toMatch(/OOM command not allowed/)
    } finally {
      await client.call('CONFIG', 'SET', 'maxmemory', '0')
    }
  })
})
