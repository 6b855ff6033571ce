import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SessionDocument } from '@sess/store-mongo'
import { mongoStore } from '@sess/store-mongo'
import type { Collection } from 'mongodb'
import { MongoClient } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'

// No MongoDB-compatible server can be installed on our machines: without MONGO_URL this file reports itself
// skipped, with the reason, in CI as well (as @sess/store-mongo's integration suite does).
const MONGO_URL = process.env.MONGO_URL
const SKIP_REASON = 'MONGO_URL not set: no MongoDB-compatible server can be installed on this machine'
if (!MONGO_URL) console.warn(`[example-express-mongo] Skipping: ${SKIP_REASON}.`)
const TITLE = MONGO_URL ? 'express-mongo' : `express-mongo [skipped: ${SKIP_REASON}]`

describe.skipIf(!MONGO_URL)(TITLE, () => {
  let client: MongoClient
  let collection: Collection<SessionDocument>
  let server: Server
  let origin: string

  beforeAll(async () => {
    client = new MongoClient(MONGO_URL!, { serverSelectionTimeoutMS: 5000 })
    await client.connect()
    collection = client.db().collection<SessionDocument>(`sess_example_${randomUUID().replaceAll('-', '')}`)
    const store = mongoStore({ collection })
    await store.ensureIndexes()
    server = await new Promise<Server>((resolve) => {
      const s = createApp(store).listen(0, '127.0.0.1', () => resolve(s))
    })
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server?.closeAllConnections()
    server?.close()
    await collection?.drop().catch(() => {})
    await client?.close()
  })

  /** A browser's cookie handling, just enough for one session cookie. */
  function browser(): (path: string, method?: string) => Promise<{ status: number; text: string }> {
    let cookie = ''
    return async (path, method = 'GET') => {
      const response = await fetch(origin + path, { method, headers: cookie ? { cookie } : {} })
      for (const value of response.headers.getSetCookie()) {
        const pair = value.split(';')[0]!
        if (pair.startsWith('connect.sid=')) cookie = /Max-Age=0/.test(value) || pair === 'connect.sid=' ? '' : pair
      }
      return { status: response.status, text: await response.text() }
    }
  }

  it('counts views per session, one document per session', async () => {
    const before = await collection.countDocuments()
    const visit = browser()
    expect((await visit('/')).text).toBe('Views: 1')
    expect((await visit('/')).text).toBe('Views: 2')
    expect((await browser()('/')).text).toBe('Views: 1')
    expect(await collection.countDocuments()).toBe(before + 2)
  })

  it('logs in, reads back, and logs out', async () => {
    const visit = browser()
    expect((await visit('/me')).text).toBe('User: none')
    expect((await visit('/login?user=ada', 'POST')).text).toBe('Logged in as ada')
    expect((await visit('/me')).text).toBe('User: ada')
    expect(await collection.countDocuments({ userId: 'ada', 'data.user': 'ada' })).toBeGreaterThan(0)
    expect((await visit('/logout', 'POST')).text).toBe('Logged out')
    expect((await visit('/me')).text).toBe('User: none')
  })

  it('lists a user’s devices and signs out everywhere else', async () => {
    const user = `grace-${randomUUID()}`
    const [laptop, phone] = [browser(), browser()]
    await laptop(`/login?user=${user}`, 'POST')
    await phone(`/login?user=${user}`, 'POST')
    const devices = JSON.parse((await laptop('/devices')).text) as Array<{ current: boolean }>
    expect(devices.map((d) => d.current).sort()).toEqual([false, true])
    expect((await laptop('/logout-everywhere-else', 'POST')).text).toBe('Signed out 1 other session(s)')
    expect((await phone('/me')).text).toBe('User: none')
    expect((await laptop('/me')).text).toBe(`User: ${user}`)
    expect(await collection.countDocuments({ userId: user })).toBe(1)
  })
})
