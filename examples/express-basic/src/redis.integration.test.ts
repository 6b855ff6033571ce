import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RedisServer } from '@sess/testing'
import { redisGate, startRedisServer } from '@sess/testing'
import type { RedisClientType } from 'redis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisApp } from './redis.js'

// Skips without redis-server locally; with CI=true or SESS_REQUIRE_INTEGRATION=1 a missing server fails the file.
const gate = redisGate()

describe.skipIf(gate.skip)(gate.title('express-basic on connect-redis'), () => {
  let redis: RedisServer | undefined
  let client: RedisClientType
  let server: Server
  let origin: string

  beforeAll(async () => {
    redis = await startRedisServer()
    client = createClient({ url: redis.url }) as RedisClientType
    await client.connect()
    server = await new Promise<Server>((resolve) => {
      const s = createRedisApp(client).listen(0, '127.0.0.1', () => resolve(s))
    })
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server?.closeAllConnections()
    server?.close()
    await client?.quit()
    await redis?.stop()
  })

  it('keeps the views counter in Redis', async () => {
    const first = await fetch(`${origin}/`)
    const cookie = (first.headers.getSetCookie()[0] as string).split(';')[0] as string
    expect(await first.text()).toBe('Views: 1')
    expect(await (await fetch(`${origin}/`, { headers: { cookie } })).text()).toBe('Views: 2')
    const keys = await client.keys('example:*')
    expect(keys).toHaveLength(1)
    expect(JSON.parse((await client.get(keys[0] as string)) as string)).toMatchObject({ views: 2 })
  })
})
