import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSessionManager } from '@sess/core'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import { afterAll, describe, expect, it } from 'vitest'
import { unstorageStore } from './unstorage-store.js'

const noAtomicOps = { getAndTouch: false, touch: false, patch: false, users: false }

const memoryClock = fakeClock()
describeStoreConformance('unstorage (memory driver)', {
  create: () => unstorageStore({ storage: createStorage({ driver: memoryDriver() }), clock: memoryClock }),
  capabilities: noAtomicOps,
  clock: memoryClock,
})

const dir = mkdtempSync(join(tmpdir(), 'sess-unstorage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fsClock = fakeClock()
let n = 0
describeStoreConformance('unstorage (fs driver)', {
  // One storage directory, a fresh prefix per store: isolation by prefix, as apps sharing a storage rely on.
  create: () =>
    unstorageStore({ storage: createStorage({ driver: fsDriver({ base: dir }) }), prefix: `s${n++}:`, clock: fsClock }),
  capabilities: noAtomicOps,
  clock: fsClock,
})

describe('unstorageStore', () => {
  it('passes the TTL to the driver, never under minTtl', async () => {
    const calls: unknown[] = []
    const storage = createStorage({ driver: memoryDriver() })
    const setItemRaw = storage.setItemRaw.bind(storage)
    storage.setItemRaw = (key, value, opts) => (calls.push(opts), setItemRaw(key, value, opts))
    const store = unstorageStore({ storage })
    const now = Date.now()
    await store.set('a', { data: {}, createdAt: now, expiresAt: now + 3_600_000, version: 1 }, 3600)
    await store.set('b', { data: {}, createdAt: now, expiresAt: now + 5_000, version: 1 }, 5)
    expect(calls).toEqual([{ ttl: 3600 }, { ttl: 60 }])
  })
  it('treats foreign and corrupt values as no session', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const store = unstorageStore({ storage })
    await storage.setItemRaw('sess:x', 'not json')
    await storage.setItem('sess:y', { some: 'object' })
    await storage.setItemRaw('sess:z', '{"r":{},"x":"soon"}')
    for (const id of ['x', 'y', 'z']) expect(await store.get(id)).toBeNull()
  })
  it('keeps keys JSON-special to destr (e.g. __proto__) intact, by storing raw values', async () => {
    const store = unstorageStore({ storage: createStorage({ driver: memoryDriver() }) })
    const now = Date.now()
    const data = JSON.parse('{"__proto__":{"admin":true},"n":1}') as Record<string, unknown>
    await store.set('p', { data, createdAt: now, expiresAt: now + 60_000, version: 1 }, 60)
    expect(JSON.stringify((await store.get('p'))?.data)).toBe('{"__proto__":{"admin":true},"n":1}')
  })
  it('serves a full session lifecycle through the core', async () => {
    const manager = createSessionManager<{ n: number }>({
      secret: 'unstorage-test-secret-0123456789abcdef',
      store: unstorageStore({ storage: createStorage({ driver: memoryDriver() }) }),
    })
    const first = await manager.load({})
    first.session.set('n', 1)
    const cookie = (await first.commit()).setCookie[0]?.split(';')[0]
    const second = await manager.load({ cookie })
    expect(second.session.get('n')).toBe(1)
    await second.session.destroy()
    await second.commit()
    expect((await manager.load({ cookie })).session.isNew).toBe(true)
  })
})
