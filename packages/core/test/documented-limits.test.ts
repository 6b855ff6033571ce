import { describe, expect, it } from 'vitest'
import { createSessionManager, isSessionError } from '../src/index.js'
import type { Store } from '../src/index.js'
import { recordingStore } from './helpers.js'

// What the READMEs say about strict mode and failOpen (issue 17.12), held by tests so the docs cannot drift.
const SECRET = 'documented-limits-secret-0123456789abcdef'

async function established(store: Store, strict: boolean): Promise<string> {
  const manager = createSessionManager({ secret: SECRET, store, strict })
  const handle = await manager.load({})
  handle.session.set('a' as never, 1 as never)
  return (await handle.commit()).setCookie[0]?.split(';')[0] as string
}

describe('strict mode', () => {
  it('refuses a stale write even when the other request changed different keys (the version covers the session)', async () => {
    const store = recordingStore()
    const cookie = await established(store, true)
    const manager = createSessionManager({ secret: SECRET, store, strict: true })
    const first = await manager.load({ cookie })
    const second = await manager.load({ cookie })
    first.session.set('x' as never, 1 as never)
    second.session.set('y' as never, 2 as never)
    await first.commit()
    await expect(second.commit()).rejects.toMatchObject({ code: 'SESSION_CONFLICT' })
  })

  it('without strict, both changes to different keys persist', async () => {
    const store = recordingStore()
    const cookie = await established(store, false)
    const manager = createSessionManager({ secret: SECRET, store })
    const first = await manager.load({ cookie })
    const second = await manager.load({ cookie })
    first.session.set('x' as never, 1 as never)
    second.session.set('y' as never, 2 as never)
    await first.commit()
    await second.commit()
    const read = await manager.load({ cookie })
    expect(read.session.toJSON()).toEqual({ a: 1, x: 1, y: 2 })
  })
})

describe('failOpen', () => {
  // The worst case doubles: the read waits storeTimeout before the request continues fresh, and a request that then
  // writes waits storeTimeout again on the write.
  it('a request that fails open and then writes makes a second store call, bounded by storeTimeout again', async () => {
    const calls: string[] = []
    const hang = (name: string) => () => {
      calls.push(name)
      return new Promise<never>(() => {})
    }
    const store: Store = { get: hang('get'), set: hang('set'), destroy: hang('destroy') }
    const cookie = await established(recordingStore(), false)
    const manager = createSessionManager({ secret: SECRET, store, storeTimeout: 0.05, failOpen: true })
    const keepAlive = setInterval(() => {}, 1000)
    try {
      const handle = await manager.load({ cookie })
      expect(handle.session.isNew).toBe(true)
      handle.session.set('b' as never, 2 as never)
      const failure = await handle.commit().then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(isSessionError(failure)).toBe(true)
      expect((failure as { code: string }).code).toBe('STORE_TIMEOUT')
      expect(calls).toEqual(['get', 'set'])
    } finally {
      clearInterval(keepAlive)
    }
  })
})
