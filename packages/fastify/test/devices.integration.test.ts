import { redisGate, twoDevicesScenario, useRedisClient } from '@sess/testing'
import { redisStore } from '@sess/store-redis'
import { createClient } from 'redis'
import { describe, it } from 'vitest'
import { devicesApp } from './devices-scenario.js'

// Skips without redis-server locally; with CI=true or SESS_REQUIRE_INTEGRATION=1 a missing server fails the file.
const gate = redisGate()

describe.skipIf(gate.skip)(gate.title('your devices through Fastify on @sess/store-redis with hashIds'), () => {
  const client = useRedisClient(
    (url) => createClient({ url }).connect(),
    (c) => c.quit(),
  )

  it('lists hashed ids with the current one marked and revokes the other device by its listed id', async () => {
    const served = await devicesApp({}, redisStore({ client: client(), hashIds: true, prefix: 'devices-fastify:' }))
    try {
      await twoDevicesScenario(() => ({ request: served.device().call }), true)
    } finally {
      await served.app.close()
    }
  })
})
