import { describe, expect, it } from 'vitest'
import * as main from '../src/index.js'
import { SECRET } from './helpers.js'

// The built edge entry (dist/index.edge.js, what the workerd/worker/browser/edge-light conditions resolve): turbo
// builds core before its tests; by hand, `pnpm build` first. Run as it is, on whichever runtime runs this suite.
type Core = typeof main
const load = (path: string): Promise<unknown> => import(/* @vite-ignore */ path)
const edge = (await load('../dist/index.edge.js')) as Core
const text = async (path: string) => ((await load(`${path}?raw`)) as { default: string }).default
// The shared store-call timer (store-deadline.ts): unreferenced timers, checked for and shared by calls in flight.
const SHARED_TIMER = /\.unref\(|canShare|sharedAt|region src\/internal\/store-deadline\.ts/

const never = <T>(): Promise<T> => new Promise<T>(() => {})
const hanging = (storeTimeout: number) =>
  edge.createSessionManager({
    secret: SECRET,
    storeTimeout,
    store: { get: async () => null, set: async () => {}, destroy: async () => {}, destroyByUser: never },
  })

describe('the edge build', () => {
  it('exports the same API as the main entry', () => {
    expect(Object.keys(edge).sort()).toEqual(Object.keys(main).sort())
  })

  it('has no shared store-call timer (the main build has it)', async () => {
    expect(await text('../dist/index.js')).toMatch(SHARED_TIMER)
    const source = await text('../dist/index.edge.js')
    expect(source).toContain('region src/internal/store-deadline.edge.ts')
    expect(source).not.toMatch(SHARED_TIMER)
  })

  it('ignores verifiedId (a Node adapter input): the Cookie header is what it reads', async () => {
    const store: main.Store = {
      get: async () => ({ data: { n: 1 }, createdAt: Date.now(), expiresAt: Date.now() + 60_000, version: 1 }),
      set: async () => {},
      destroy: async () => {},
    }
    const onEdge = await edge
      .createSessionManager<{ n?: number }>({ secret: SECRET, store })
      .load({ verifiedId: 'some-id' })
    expect(onEdge.session.isNew).toBe(true)
    expect(onEdge.session.get('n')).toBeUndefined()
    const onNode = await main
      .createSessionManager<{ n?: number }>({ secret: SECRET, store })
      .load({ verifiedId: 'some-id' })
    expect(onNode.session.get('n')).toBe(1)
  })

  it('still bounds a hanging store call with STORE_TIMEOUT, at its deadline', async () => {
    const started = Date.now()
    const error = await hanging(0.05)
      .destroyUserSessions('user-1')
      .catch((e: unknown) => e)
    expect(Date.now() - started).toBeGreaterThanOrEqual(49)
    expect(edge.isSessionError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'STORE_TIMEOUT', operation: 'destroyByUser' })
  })

  it('passes an answer through before the deadline and wraps a failure', async () => {
    const manager = edge.createSessionManager({
      secret: SECRET,
      storeTimeout: 5,
      store: { get: async () => null, set: async () => {}, destroy: async () => {}, destroyByUser: async () => 3 },
    })
    await expect(manager.destroyUserSessions('user-1')).resolves.toBe(3)
    const cause = new Error('down')
    const failing = edge.createSessionManager({
      secret: SECRET,
      storeTimeout: 5,
      store: {
        get: async () => null,
        set: async () => {},
        destroy: async () => {},
        destroyByUser: () => Promise.reject(cause),
      },
    })
    await expect(failing.destroyUserSessions('user-1')).rejects.toMatchObject({ code: 'STORE_FAILURE', cause })
  })
})
