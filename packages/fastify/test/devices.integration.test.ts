import type { RedisServer } from '@sess/testing'
import { redisGate, startRedisServer, twoDevicesScenario } from '@sess/testing'
import { redisStore } from '@sess/store-redis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { devicesApp } from './devices-scenario.js'

// Skips without redis-server locally; with CI=true or SESS_REQUIRE_INTEGRATION=1 a missing server fails the file.
const gate = redisGate()

describe.skipIf(gate.skip)(gate.title('your devices through Fastify on @sess/store-redis with hashIds'), () => {
  let server: RedisServer | undefined
  let client: ReturnType<typeof createClient>

  beforeAll(async () => {
    server = await startRedisServer()
    client = createClient({ url: server.url })
    await client.connect()
  })
  afterAll(async () => {
    await client?.quit()
    await server?.stop()
  })

  it('lists hashed ids with the current one marked and revokes the other device by its listed id', async () => {
    const served = await devicesApp({}, redisStore({ client, hashIds: true, prefix: 'devices-fastify:' }))
    try {
      await twoDevicesScenario(() => ({ request: served.device().call }), true)
    } finally {
      await served.app.close()
    }
  })
})
