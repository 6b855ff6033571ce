import { describe, expect, it } from 'vitest'
import type { SessionRecord } from '../store.js'
import type { ReadWriteBackend } from './reread-patch.js'
import { withRereadPatch } from './reread-patch.js'

const backend = (): ReadWriteBackend & { map: Map<string, SessionRecord>; calls: string[] } => {
  const map = new Map<string, SessionRecord>()
  const calls: string[] = []
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1))
  return {
    map,
    calls,
    async get(id) {
      calls.push(`get ${id}`)
      await tick()
      const r = map.get(id)
      return r === undefined ? null : structuredClone(r)
    },
    async set(id, record) {
      calls.push(`set ${id}`)
      await tick()
      map.set(id, structuredClone(record))
    },
    async destroy(id) {
      calls.push(`destroy ${id}`)
      await tick()
      map.delete(id)
    },
  }
}
const record = (): SessionRecord => ({ data: { a: 1 }, createdAt: 0, expiresAt: 100, version: 1 })

describe('withRereadPatch', () => {
  it('patches by re-reading and writing back; a missing record is missing', async () => {
    const b = backend()
    const store = withRereadPatch(b)
    await store.set('s', record(), 100)
    await expect(store.patch?.('s', { set: { b: 2 }, unset: ['a'], expiresAt: 200 }, 100)).resolves.toBe('ok')
    expect(b.map.get('s')).toEqual({ data: { b: 2 }, createdAt: 0, expiresAt: 200, version: 2 })
    await expect(store.patch?.('nope', { set: { b: 2 }, unset: [], expiresAt: 200 }, 100)).resolves.toBe('missing')
    expect(b.calls).not.toContain('set nope')
  })
  it('writes nothing on a version conflict', async () => {
    const b = backend()
    const store = withRereadPatch(b)
    await store.set('s', record(), 100)
    const result = await store.patch?.('s', { set: { b: 2 }, unset: [], expiresAt: 200, expectedVersion: 7 }, 100)
    expect(result).toBe('conflict')
    expect(b.map.get('s')).toEqual(record())
  })
  it('keeps both keys of overlapping patches to one id, and touch moves only the expiry', async () => {
    const b = backend()
    const store = withRereadPatch(b)
    await store.set('s', record(), 100)
    await Promise.all([
      store.patch?.('s', { set: { x: 1 }, unset: [], expiresAt: 150 }, 100),
      store.patch?.('s', { set: { y: 2 }, unset: [], expiresAt: 150 }, 100),
      store.touch?.('s', 300, 1),
    ])
    expect(b.map.get('s')).toEqual({ data: { a: 1, x: 1, y: 2 }, createdAt: 0, expiresAt: 300, version: 3 })
  })
  it('does not resurrect a record destroyed while a patch is queued', async () => {
    const b = backend()
    const store = withRereadPatch(b)
    await store.set('s', record(), 100)
    const [, patched] = await Promise.all([
      store.destroy('s'),
      store.patch?.('s', { set: { x: 1 }, unset: [], expiresAt: 150 }, 100),
    ])
    expect(patched).toBe('missing')
    expect(b.map.has('s')).toBe(false)
  })
})
