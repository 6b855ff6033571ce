// Issue 17.11: documents that get cannot read are reported as record-invalid, and no other call counts, lists,
// destroys-and-counts or patches them. Against the emulated collection, which fails a path through null with the
// server's error 28 (PathNotViable), as a real server would.
import { recordProblem } from '@sess/core'
import { fakeClock } from '@sess/testing'
import { describe, expect, it } from 'vitest'
import { mongoStore } from '../src/index.js'
import { emulatedCollection } from './emulated-collection.js'

const clock = fakeClock()
const HOUR = 3600_000

const broken: Array<[string, Record<string, unknown>]> = [
  ['data null', { data: null }],
  ['data an array', { data: [{ a: 1 }] }],
  ['data a JSON string', { data: '{"a":1}' }],
  ['createdAt a string', { createdAt: '2026-01-01' }],
  ['createdAt null', { createdAt: null }],
  ['version a string', { version: '1' }],
  ['version NaN', { version: Number.NaN }],
  ['maxAge a string', { maxAge: '60' }],
  ['expiresAt an array of dates', { expiresAt: [new Date(Date.UTC(2030, 0, 1))] }],
]

describe('mongoStore with documents it cannot read (issue 17.11)', () => {
  const setup = async () => {
    const collection = emulatedCollection()
    const store = mongoStore({ collection, clock })
    const base = {
      data: { a: 1 },
      createdAt: new Date(clock.now()),
      expiresAt: new Date(clock.now() + HOUR),
      version: 1,
    }
    for (const [name, fields] of broken) {
      await collection.replaceOne({ _id: name }, { ...base, userId: 'u', ...fields } as never, { upsert: true })
    }
    await store.set(
      'good',
      { data: { a: 1 }, createdAt: clock.now(), expiresAt: clock.now() + HOUR, version: 1, userId: 'u' },
      3600,
    )
    return { store, collection }
  }

  it('get reports each as record-invalid, and listByUser, count and destroyByUser see only the readable one', async () => {
    const { store } = await setup()
    for (const [name] of broken) expect(recordProblem(await store.get(name)), name).toEqual(expect.any(String))
    expect((await store.listByUser('u')).map((s) => s.id)).toEqual(['good'])
    expect(await store.count()).toBe(1)
    expect(await store.destroyByUser('u')).toBe(1)
    expect(await store.count()).toBe(0)
  })

  it('patch and touch answer missing / do nothing instead of failing with driver error 28', async () => {
    const { store } = await setup()
    for (const [name] of broken) {
      const patch = { set: { b: 2 }, unset: [], expiresAt: clock.now() + 2 * HOUR }
      await expect(store.patch(name, patch, 7200), name).resolves.toBe('missing')
      await expect(store.patch(name, { ...patch, expectedVersion: 1 }, 7200), name).resolves.toBe('missing')
      await store.touch(name, clock.now() + 2 * HOUR, 7200)
      expect(recordProblem(await store.get(name)), name).toEqual(expect.any(String))
    }
    expect(await store.patch('good', { set: { b: 2 }, unset: [], expiresAt: clock.now() + HOUR }, 3600)).toBe('ok')
  })
})
