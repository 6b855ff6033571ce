// Store failures with the real driver. These need no MongoDB server (a closed port, a server that never answers),
// so they run everywhere, with or without MONGO_URL.
import { createSessionManager } from '@sess/core'
import { MongoClient } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import type { MongoStore } from '../src/index.js'
import { mongoStore } from '../src/index.js'
import type { TcpServer } from './helpers.js'
import { closedPort, cookieFor, SECRET, tcpServer } from './helpers.js'

const clients: MongoClient[] = []
const servers: TcpServer[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await Promise.all(servers.splice(0).map((server) => server.stop()))
})

/** A store on a client the test owns; the client is given the driver options the README recommends. */
function storeAt(port: number, serverSelectionTimeoutMS: number): MongoStore {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS,
    connectTimeoutMS: serverSelectionTimeoutMS,
  })
  clients.push(client)
  return mongoStore({ db: client.db('sess_failures') })
}

const elapsed = async (run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> => {
  const start = performance.now()
  try {
    await run()
    return { error: undefined, ms: performance.now() - start }
  } catch (error) {
    return { error, ms: performance.now() - start }
  }
}

describe('a server that is down (closed port)', () => {
  it('rejects every store call within serverSelectionTimeoutMS, with the driver error', async () => {
    const port = await closedPort()
    const calls: Array<[string, (store: MongoStore) => Promise<unknown>]> = [
      ['get', (store) => store.get('id')],
      ['set', (store) => store.set('id', { data: {}, createdAt: 0, expiresAt: Date.now() + 1000, version: 1 }, 1)],
      ['patch', (store) => store.patch('id', { set: { a: 1 }, unset: [], expiresAt: Date.now() + 1000 }, 1)],
      ['touch', (store) => store.touch('id', Date.now() + 1000, 1)],
      ['destroy', (store) => store.destroy('id')],
      ['listByUser', (store) => store.listByUser('u')],
      ['destroyByUser', (store) => store.destroyByUser('u')],
      ['clear', (store) => store.clear()],
      ['count', (store) => store.count()],
      ['ensureIndexes', (store) => store.ensureIndexes()],
    ]
    for (const [name, call] of calls) {
      const store = storeAt(port, 300)
      const { error, ms } = await elapsed(() => call(store))
      expect({ name, error: (error as Error | undefined)?.name }).toEqual({ name, error: 'MongoServerSelectionError' })
      expect(ms).toBeLessThan(3000)
    }
  })

  it('leaves a client whose first connection failed closed: later calls fail at once until the app reconnects', async () => {
    // Driver behaviour (6.x and 7.x), not the store's: the README tells apps to connect at boot for this reason.
    const store = storeAt(await closedPort(), 300)
    await expect(store.get('id')).rejects.toHaveProperty('name', 'MongoServerSelectionError')
    const { error, ms } = await elapsed(() => store.get('id'))
    expect((error as Error).name).toBe('MongoTopologyClosedError')
    expect(ms).toBeLessThan(100)
  })

  it('surfaces through the core as SessionStoreError STORE_FAILURE with the driver error as cause', async () => {
    const manager = createSessionManager({ secret: SECRET, store: storeAt(await closedPort(), 300) })
    const load = manager.load({ cookie: await cookieFor('some-session-id') })
    await expect(load).rejects.toMatchObject({ code: 'STORE_FAILURE', operation: 'get' })
    await expect(load).rejects.toHaveProperty('cause.name', 'MongoServerSelectionError')

    const handle = await manager.load({ cookie: null })
    handle.session.set('views' as never, 1 as never)
    await expect(handle.commit()).rejects.toMatchObject({ code: 'STORE_FAILURE', operation: 'set' })
  })

  it('gives a fresh session on read when the app chose failOpen', async () => {
    const manager = createSessionManager({ secret: SECRET, store: storeAt(await closedPort(), 300), failOpen: true })
    const handle = await manager.load({ cookie: await cookieFor('some-session-id') })
    expect(handle.session.isNew).toBe(true)
  })
})

describe('a server that accepts connections and never answers', () => {
  it('is cut off by the core’s storeTimeout even when the driver would wait longer', async () => {
    const hole = await tcpServer()
    servers.push(hole)
    const manager = createSessionManager({ secret: SECRET, store: storeAt(hole.port, 30_000), storeTimeout: 1 })
    const { error, ms } = await elapsed(async () => manager.load({ cookie: await cookieFor('some-session-id') }))
    expect(error).toMatchObject({ code: 'STORE_TIMEOUT', operation: 'get' })
    expect(ms).toBeGreaterThanOrEqual(900)
    expect(ms).toBeLessThan(3000)
  })

  it('rejects the store call itself within serverSelectionTimeoutMS', async () => {
    const hole = await tcpServer()
    servers.push(hole)
    const store = storeAt(hole.port, 500)
    const { error, ms } = await elapsed(() => store.get('id'))
    expect((error as Error).name).toBe('MongoServerSelectionError')
    expect(ms).toBeLessThan(3000)
  })
})
