import type { SessionEvent, SessionManager } from '@sess/core'
import { createSessionManager } from '@sess/core'
import type { JsonReply } from '@sess/testing'
import { redisGate, untilOk } from '@sess/testing'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RedisClientLike } from '../src/index.js'
import { redisStore } from '../src/index.js'
import type { TestApp } from './helpers/app.js'
import { startApp } from './helpers/app.js'
import type { ClientKind } from './helpers/clients.js'
import { connectStandalone } from './helpers/clients.js'
import type { RedisProcess } from './helpers/redis-process.js'
import { freePort, spawnRedis } from './helpers/redis-process.js'

// These tests stop and restart their own redis-server, so REDIS_URL cannot stand in for the binary.
const gate = redisGate({ ...process.env, REDIS_URL: undefined })
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const KINDS: ClientKind[] = ['node-redis', 'ioredis']
const STORE_TIMEOUT_SECONDS = 1
/** How long past storeTimeout a failing request may take (HTTP and scheduling on a busy 2-core machine). */
const SLACK_MS = 700

interface Setup {
  redis: RedisProcess
  app: TestApp
  events: SessionEvent[]
  close(): Promise<void>
}

async function setUp(client: (url: string) => Promise<{ client: RedisClientLike; close(): Promise<void> }>) {
  const port = await freePort()
  const redis = await spawnRedis(port)
  const tc = await client(redis.url)
  const events: SessionEvent[] = []
  const manager: SessionManager = createSessionManager({
    secret: SECRET,
    store: redisStore({ client: tc.client }),
    storeTimeout: STORE_TIMEOUT_SECONDS,
    onEvent: (event) => events.push(event),
  })
  const app = await startApp(manager)
  const setup: Setup = {
    redis,
    app,
    events,
    async close() {
      await app.close()
      await tc.close()
      await setup.redis.stop()
    },
  }
  return setup
}

const expectBoundedStoreError = (response: JsonReply): void => {
  expect(response.status).toBe(503)
  expect(['STORE_FAILURE', 'STORE_TIMEOUT']).toContain(response.body.code)
  expect(response.ms).toBeLessThan(STORE_TIMEOUT_SECONDS * 1000 + SLACK_MS)
}

describe.skipIf(gate.skip)(gate.title('Redis going away and coming back'), () => {
  const rejections: unknown[] = []
  const onRejection = (reason: unknown): void => void rejections.push(reason)
  beforeAll(() => void process.on('unhandledRejection', onRejection))
  afterAll(() => {
    process.off('unhandledRejection', onRejection)
    expect(rejections).toEqual([])
  })

  for (const kind of KINDS) {
    it(`${kind}, recommended settings: fails fast while down, recovers with the same client`, async () => {
      const s = await setUp((url) => connectStandalone(kind, url))
      try {
        const { cookie } = await s.app.request('/set?a=1')
        expect((await s.app.request('/', cookie)).body.data).toEqual({ a: '1' })

        await s.redis.stop()
        const down = [
          await s.app.request('/', cookie),
          await s.app.request('/', cookie),
          await s.app.request('/set?b=2'),
        ]
        for (const response of down) expectBoundedStoreError(response)
        // No cookie and nothing to write: no store call, so no failure either.
        expect((await s.app.request('/')).status).toBe(200)

        s.redis = await spawnRedis(s.redis.port)
        const restarted = Date.now()
        const recovered = await untilOk(() => s.app.request('/set?c=3'), 10_000)
        expect(recovered.status).toBe(200)
        console.log(
          `${kind}, recommended settings: while down ${down.map((r) => `${r.status} ${r.body.code} in ${r.ms} ms`).join(', ')};` +
            ` first success ${Date.now() - restarted} ms after the restart`,
        )
        expect((await s.app.request('/', recovered.cookie)).body.data).toEqual({ c: '3' })
        // The restarted server has no data (no persistence here): the old cookie now means a fresh session.
        expect((await s.app.request('/', cookie)).body).toMatchObject({ isNew: true, data: {} })
        expect(rejections).toEqual([])
      } finally {
        await s.close()
      }
    })
  }

  // Client defaults queue commands while disconnected: the core's storeTimeout is then what bounds a request.
  const defaults: Record<ClientKind, (url: string) => Promise<{ client: RedisClientLike; close(): Promise<void> }>> = {
    'node-redis': async (url) => {
      const client = createClient({ url })
      client.on('error', () => {})
      await client.connect()
      return { client, close: async () => client.destroy() }
    },
    ioredis: async (url) => {
      const client = new Redis(url, { lazyConnect: true })
      client.on('error', () => {})
      await client.connect()
      return { client, close: async () => client.disconnect() }
    },
  }
  for (const kind of KINDS) {
    it(`${kind}, client defaults (offline queue): times out at storeTimeout, never hangs, recovers`, async () => {
      const s = await setUp(defaults[kind])
      try {
        const { cookie } = await s.app.request('/set?a=1')
        await s.redis.stop()
        const down = [await s.app.request('/', cookie), await s.app.request('/', cookie)]
        for (const response of down) expectBoundedStoreError(response)
        s.redis = await spawnRedis(s.redis.port)
        const restarted = Date.now()
        expect((await untilOk(() => s.app.request('/set?c=3'), 10_000)).status).toBe(200)
        console.log(
          `${kind}, client defaults: while down ${down.map((r) => `${r.status} ${r.body.code} in ${r.ms} ms`).join(', ')};` +
            ` first success ${Date.now() - restarted} ms after the restart`,
        )
      } finally {
        await s.close()
      }
    })
  }

  for (const kind of KINDS) {
    it(`${kind}: a frozen server (SIGSTOP) costs storeTimeout, then requests succeed again`, async () => {
      const s = await setUp((url) => connectStandalone(kind, url))
      try {
        const { cookie } = await s.app.request('/set?a=1')
        s.redis.pause()
        try {
          const frozen = await s.app.request('/', cookie)
          expectBoundedStoreError(frozen)
          expect(frozen.body.code).toBe('STORE_TIMEOUT')
          expect(frozen.ms).toBeGreaterThanOrEqual(STORE_TIMEOUT_SECONDS * 1000 - 50)
        } finally {
          s.redis.resume()
        }
        expect((await untilOk(() => s.app.request('/', cookie), 5000)).body.data).toEqual({ a: '1' })
      } finally {
        await s.close()
      }
    })
  }

  it('a corrupt value under a session key gives a fresh session, not an error', async () => {
    const s = await setUp((url) => connectStandalone('ioredis', url))
    const raw = new Redis(s.redis.url)
    try {
      for (const plant of [
        (key: string) => raw.set(key, 'not a session'),
        (key: string) => raw.hset(key, 'createdAt', 'x', 'expiresAt', String(Date.now() + 60_000), 'version', '1'),
        (key: string) => raw.hset(key, 'd:a', '{not json'),
      ]) {
        const created = await s.app.request('/set?a=1')
        await plant(`sess:${created.body.id}`)
        s.events.length = 0
        const next = await s.app.request('/', created.cookie)
        expect(next.status).toBe(200)
        expect(next.body).toMatchObject({ isNew: true, data: {} })
        expect(next.body.id).not.toBe(created.body.id)
        // The store reports the value as invalid (invalidRecord), and the core passes that on with the reason.
        expect(s.events.some((e) => e.type === 'record-invalid')).toBe(true)
      }
    } finally {
      raw.disconnect()
      await s.close()
    }
  })
})
