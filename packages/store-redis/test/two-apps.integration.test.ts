import { randomUUID } from 'node:crypto'
import { createSessionManager } from '@sess/core'
import type { RedisServer } from '@sess/testing'
import { concurrentKeysScenario, redisGate, staleWriteScenario, startRedisServer } from '@sess/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import type { TestApp } from './helpers/app.js'
import { startApp } from './helpers/app.js'
import type { TestClient } from './helpers/clients.js'
import { connectStandalone } from './helpers/clients.js'

const gate = redisGate()
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

// Two app instances, each with its own client library (node-redis in one, ioredis in the other), behind what would
// be a load balancer: a user's requests land on either.
describe.skipIf(gate.skip)(gate.title('two app instances sharing one Redis'), () => {
  let server: RedisServer | undefined
  const clients: TestClient[] = []
  const apps: TestApp[] = []
  let a: TestApp
  let b: TestApp

  const startPair = async (strict: boolean): Promise<[TestApp, TestApp]> => {
    const prefix = `sess-apps:${randomUUID()}:`
    const pair = await Promise.all(
      clients.map((tc) =>
        startApp(createSessionManager({ secret: SECRET, strict, store: redisStore({ client: tc.client, prefix }) })),
      ),
    )
    apps.push(...pair)
    return pair as [TestApp, TestApp]
  }

  beforeAll(async () => {
    server = await startRedisServer()
    clients.push(await connectStandalone('node-redis', server.url), await connectStandalone('ioredis', server.url))
    ;[a, b] = await startPair(false)
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    for (const tc of clients) await tc.close()
    await server?.stop()
  })

  it('a session created on one is read, changed and destroyed on the other', async () => {
    const created = await a.request('/set?name=ada')
    expect(created.body).toMatchObject({ isNew: true, data: { name: 'ada' } })
    const read = await b.request('/', created.cookie)
    expect(read.body).toMatchObject({ id: created.body.id, isNew: false, data: { name: 'ada' } })
    const changed = await b.request('/set?role=admin', created.cookie)
    expect(changed.body.data).toEqual({ name: 'ada', role: 'admin' })
    expect((await a.request('/', created.cookie)).body.data).toEqual({ name: 'ada', role: 'admin' })
    const destroyed = await a.request('/destroy', created.cookie)
    expect(destroyed.cookie).toBe('sid=')
    const after = await b.request('/', created.cookie)
    expect(after.body).toMatchObject({ isNew: true, data: {} })
    expect(after.body.id).not.toBe(created.body.id)
  })

  it('keeps both of two concurrent writes to different keys, one made on each instance', async () => {
    await concurrentKeysScenario(a, b)
  })

  it('strict mode rejects a stale write to the same key (409) and keeps the first', async () => {
    await staleWriteScenario(...(await startPair(true)))
  })

  it('logs a user out everywhere from the other instance, or everywhere but the current session', async () => {
    const user = `user-${randomUUID()}`
    const phone = (await a.request(`/login?user=${user}`)).cookie
    const laptop = await b.request(`/login?user=${user}`)
    const tablet = (await a.request(`/login?user=${user}`)).cookie
    const kept = laptop.body.id!
    expect((await b.request(`/logout-everywhere?user=${user}&except=${kept}`)).body.count).toBe(2)
    for (const cookie of [phone, tablet]) expect((await a.request('/', cookie)).body.isNew).toBe(true)
    expect((await a.request('/', laptop.cookie)).body).toMatchObject({ isNew: false, id: kept })
    expect((await a.request(`/logout-everywhere?user=${user}`)).body.count).toBe(1)
    expect((await b.request('/', laptop.cookie)).body.isNew).toBe(true)
  })
})
