import { setTimeout as sleep } from 'node:timers/promises'
import { createSessionManager } from '@sess/core'
import { redisGate } from '@sess/testing'
import { describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import type { ClientKind } from './helpers/clients.js'
import { connectStandalone } from './helpers/clients.js'
import { freePort, spawnRedis } from './helpers/redis-process.js'

// Issue 17.12: an error answer during an outage does not mean nothing was written. A write that reached a server
// which then stalled past storeTimeout fails the request, and the server applies it once it runs again.
const gate = redisGate({ ...process.env, REDIS_URL: undefined })
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const KINDS: ClientKind[] = ['node-redis', 'ioredis']

describe.skipIf(gate.skip)(gate.title('a write whose reply never came'), () => {
  for (const kind of KINDS) {
    it(`${kind}: the request fails with STORE_TIMEOUT, and the write still lands`, async () => {
      const redis = await spawnRedis(await freePort())
      const tc = await connectStandalone(kind, redis.url)
      try {
        const manager = createSessionManager({
          secret: SECRET,
          store: redisStore({ client: tc.client }),
          storeTimeout: 0.5,
        })
        const first = await manager.load({})
        first.session.set('a' as never, 1 as never)
        const cookie = (await first.commit()).setCookie[0]?.split(';')[0]
        const handle = await manager.load({ cookie })
        handle.session.set('paid' as never, true as never)
        redis.pause()
        await expect(handle.commit()).rejects.toMatchObject({ code: 'STORE_TIMEOUT' })
        redis.resume()
        await sleep(100)
        const after = await manager.load({ cookie })
        expect(after.session.toJSON()).toEqual({ a: 1, paid: true })
      } finally {
        redis.resume()
        await tc.close()
        await redis.stop()
      }
    })
  }
})
