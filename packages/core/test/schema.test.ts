import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { SessionEvent } from '../src/index.js'
import { createSessionManager } from '../src/index.js'
import { cookieOf, recordingStore, SECRET } from './helpers.js'

const schema = z.object({ userId: z.string(), views: z.number().int() })

async function seed(data: Record<string, unknown>) {
  const store = recordingStore()
  const writer = createSessionManager<Record<string, unknown>>({ secret: SECRET, store })
  const handle = await writer.load({})
  for (const [k, v] of Object.entries(data)) handle.session.set(k, v)
  const { setCookie } = await handle.commit()
  return { store, cookie: cookieOf(setCookie[0]) }
}

describe('schema validation', () => {
  it('passes valid data through, typed by the schema', async () => {
    const { store, cookie } = await seed({ userId: 'u1', views: 2 })
    const manager = createSessionManager({ secret: SECRET, store, schema })
    const { session } = await manager.load({ cookie })
    const views: number | undefined = session.get('views')
    expect(views).toBe(2)
    expect(session.get('userId')).toBe('u1')
  })
  it('discards invalid data by default: a fresh session, reported through onEvent', async () => {
    const { store, cookie } = await seed({ userId: 42, views: 'many' })
    const events: SessionEvent[] = []
    const manager = createSessionManager({ secret: SECRET, store, schema, onEvent: (e) => events.push(e) })
    const { session } = await manager.load({ cookie })
    expect(session.isNew).toBe(true)
    expect(session.get('views')).toBeUndefined()
    const invalid = events.find((e) => e.type === 'data-invalid')
    expect(invalid && 'issues' in invalid && invalid.issues.length).toBe(2)
  })
  it("fails the request with SESSION_INVALID when onInvalidData is 'error'", async () => {
    const { store, cookie } = await seed({ userId: 42, views: 1 })
    const manager = createSessionManager({ secret: SECRET, store, schema, onInvalidData: 'error' })
    await expect(manager.load({ cookie })).rejects.toMatchObject({ code: 'SESSION_INVALID' })
  })
  it('uses the parsed output (unknown keys stripped by the schema)', async () => {
    const { store, cookie } = await seed({ userId: 'u1', views: 1, extra: 'x' })
    const manager = createSessionManager({ secret: SECRET, store, schema })
    const { session } = await manager.load({ cookie })
    expect(session.toJSON()).toEqual({ userId: 'u1', views: 1 })
  })
})
