import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CookieSigner, createSessionManager, DEFAULT_COOKIE_NAME, recordProblem } from '@sess/core'
import type { CorruptionKind, StoreSuiteFactory } from '@sess/testing'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import type { FakeClock } from '@sess/testing'
import type { Storage } from 'unstorage'
import { createStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'
import { afterAll, describe, expect, it } from 'vitest'
import { unstorageStore } from './unstorage-store.js'

const noAtomicOps = { getAndTouch: false, touch: false, patch: false, users: false, hashIds: false }

/** The raw value of each kind of corrupt record. */
function corruption(kind: CorruptionKind, now: number, ttl: number): string {
  switch (kind) {
    case 'undecodable':
      return '{"r":{"data":'
    case 'wrong-shape':
      // What another session library might have left under the same key: no envelope.
      return '{"cookie":{"originalMaxAge":1000},"views":1}'
    case 'null-fields':
      return JSON.stringify({ r: { data: null, createdAt: null, expiresAt: null, version: null }, x: now + ttl * 1000 })
  }
}

/** Stores made by {@link factory}, with the storage and prefix they write to. */
const planted = new WeakMap<object, { storage: Storage; prefix: string }>()
const factory = (make: () => { storage: Storage; prefix: string }, clock: FakeClock): StoreSuiteFactory => ({
  create(options) {
    const { storage, prefix } = make()
    const store = unstorageStore({ storage, prefix, clock: options?.clock ?? clock })
    planted.set(store, { storage, prefix })
    return store
  },
  async corrupt(store, id, kind, ttl) {
    const { storage, prefix } = planted.get(store)!
    await storage.setItemRaw(prefix + id, corruption(kind, clock.now(), ttl))
  },
  capabilities: noAtomicOps,
  clock,
})

const memoryClock = fakeClock()
describeStoreConformance(
  'unstorage (memory driver)',
  factory(() => ({ storage: createStorage({ driver: memoryDriver() }), prefix: 'sess:' }), memoryClock),
)

const dir = mkdtempSync(join(tmpdir(), 'sess-unstorage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fsClock = fakeClock()
let n = 0
// One storage directory, a fresh prefix per store: isolation by prefix, as apps sharing a storage rely on.
describeStoreConformance(
  'unstorage (fs driver)',
  factory(() => ({ storage: createStorage({ driver: fsDriver({ base: dir }) }), prefix: `s${n++}:` }), fsClock),
)

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
  it('reports foreign and corrupt values as invalid records, and the core as record-invalid with a fresh session', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const store = unstorageStore({ storage })
    await storage.setItemRaw('sess:x', 'not json')
    await storage.setItem('sess:y', { some: 'object' })
    await storage.setItemRaw('sess:z', '{"r":{},"x":"soon"}')
    await storage.setItemRaw('sess:w', JSON.stringify({ r: { data: [] }, x: Date.now() + 60_000 }))
    for (const id of ['x', 'y', 'z', 'w']) expect(recordProblem(await store.get(id)), id).toEqual(expect.any(String))
    expect(await store.count()).toBe(0)
    const events: string[] = []
    const manager = createSessionManager({
      secret: 'unstorage-test-secret-0123456789abcdef',
      store,
      onEvent: (event) => events.push(event.type),
    })
    const cookie = `${DEFAULT_COOKIE_NAME}=${encodeURIComponent(await new CookieSigner(['unstorage-test-secret-0123456789abcdef'], 's:').sign('x'))}`
    const handle = await manager.load({ cookie })
    expect(handle.session.isNew).toBe(true)
    expect(events).toContain('record-invalid')
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
