import { concurrentKeysScenario, staleWriteScenario } from '@sess/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresStore } from '../src/index.js'
import type { ExpressApp } from './helpers/express-app.js'
import { startExpressApp } from './helpers/express-app.js'
import type { TestClient } from './helpers/pg.js'
import { connect, createTestSchema, pgGate } from './helpers/pg.js'

// Two Express instances behind what would be a load balancer, one on pg and one on postgres.js, sharing one table.
describe.skipIf(pgGate.skip)(pgGate.title('two app instances on one PostgreSQL table'), () => {
  const clients: TestClient[] = []
  const apps: ExpressApp[] = []
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined
  let a: ExpressApp
  let b: ExpressApp
  let tables = 0

  const startPair = async (strict: boolean): Promise<[ExpressApp, ExpressApp]> => {
    const table = `apps_${++tables}`
    const stores = clients.map((tc) => postgresStore({ client: tc.client, schema: schema!.name, table }))
    // Both instances boot at once: ensureSchema must not race itself.
    await Promise.all(stores.map((store) => store.ensureSchema()))
    const pair = await Promise.all(stores.map((store) => startExpressApp(store, { strict })))
    apps.push(...pair)
    return pair as [ExpressApp, ExpressApp]
  }

  beforeAll(async () => {
    clients.push(connect('pg'), connect('postgres.js'))
    schema = await createTestSchema(clients[0]!)
    ;[a, b] = await startPair(false)
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    await schema?.drop()
    for (const tc of clients) await tc.close()
  })

  it('a session created on one is read, changed and destroyed on the other', async () => {
    const created = await a.request('/set?name=ada')
    expect(created.body.data).toEqual({ name: 'ada' })
    const read = await b.request('/', created.cookie)
    expect(read.body).toEqual({ id: created.body.id, data: { name: 'ada' } })
    expect((await b.request('/set?role=admin', created.cookie)).body.data).toEqual({ name: 'ada', role: 'admin' })
    expect((await a.request('/', created.cookie)).body.data).toEqual({ name: 'ada', role: 'admin' })
    await a.request('/destroy', created.cookie)
    const after = await b.request('/', created.cookie)
    expect(after.body.data).toEqual({})
    expect(after.body.id).not.toBe(created.body.id)
  })

  it('keeps both of two concurrent writes to different keys, one made on each instance', async () => {
    await concurrentKeysScenario(a, b)
  })

  it('strict mode rejects a stale write to the same key (409) and keeps the first', async () => {
    await staleWriteScenario(...(await startPair(true)))
  })

  it('signs a user out on every other device from the other instance', async () => {
    const user = `user-${Date.now()}`
    const phone = (await a.request(`/login?user=${user}`)).cookie
    const laptop = await b.request(`/login?user=${user}`)
    const tablet = (await a.request(`/login?user=${user}`)).cookie
    expect((await b.request('/logout-others', laptop.cookie)).body.count).toBe(2)
    for (const cookie of [phone, tablet]) expect((await a.request('/', cookie)).body.data).toEqual({})
    expect((await a.request('/', laptop.cookie)).body).toMatchObject({ id: laptop.body.id, data: { user } })
  })
})
