import { describe, expect, it } from 'vitest'
import { createSessionLoader, createSessionManager } from '../src/index.js'
import { cookieOf, fakeClock, recordingStore, SECRET } from './helpers.js'

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15'

function setup(device?: { userAgent?: boolean; ip?: boolean }) {
  const clock = fakeClock()
  const store = recordingStore()
  const manager = createSessionManager({ secret: SECRET, store, clock, idleTimeout: 3600, device })
  const signIn = async (input: { userAgent?: string; ip?: string }, user = 'u1'): Promise<string> => {
    const handle = await manager.load(input)
    handle.session.setUser(user)
    return cookieOf((await handle.commit()).setCookie[0])
  }
  return { clock, store, manager, signIn }
}

describe('your devices', () => {
  it('createSessionLoader has no per-user administration, but its sessions keep their per-user methods', async () => {
    const store = recordingStore()
    const loader = createSessionLoader({ secret: SECRET, store })
    expect(Object.keys(loader).sort()).toEqual(['load', 'open', 'options'])
    const handle = await loader.load({})
    handle.session.setUser('u1')
    await handle.session.save()
    expect((await handle.session.listUserSessions()).map((d) => d.current)).toEqual([true])
  })

  it('records the user agent and IP only when the device option enables each', async () => {
    for (const [device, expected] of [
      [undefined, {}],
      [{ userAgent: true }, { userAgent: UA }],
      [{ ip: true }, { ip: '192.0.2.1' }],
      [
        { userAgent: true, ip: true },
        { userAgent: UA, ip: '192.0.2.1' },
      ],
    ] as const) {
      const { manager, signIn } = setup(device)
      await signIn({ userAgent: UA, ip: '192.0.2.1' })
      const [listed] = await manager.listUserSessions('u1')
      const { userAgent, ip } = listed!.session
      expect({ ...(userAgent && { userAgent }), ...(ip && { ip }) }).toEqual(expected)
    }
  })

  it('cuts a long user agent to 512 characters and ignores empty values', async () => {
    const { manager, signIn } = setup({ userAgent: true, ip: true })
    await signIn({ userAgent: 'x'.repeat(5000), ip: '' })
    const [listed] = await manager.listUserSessions('u1')
    expect(listed!.session.userAgent).toHaveLength(512)
    expect(listed!.session.ip).toBeUndefined()
  })

  it('last seen moves with the throttled touch, never with a read inside touchAfter', async () => {
    const { clock, manager, store, signIn } = setup()
    const cookie = await signIn({})
    const created = clock.now()
    clock.advance(60_000) // within touchAfter (360 s): no write, last seen stays
    const read = await manager.load({ cookie })
    expect((await read.session.listUserSessions())[0]!.lastSeenAt).toBe(created)
    await read.commit()
    clock.advance(600_000) // past touchAfter: the commit touches, and last seen is that instant
    store.calls.length = 0
    const touched = await manager.load({ cookie })
    await touched.commit()
    expect(store.calls).toEqual(['get', 'touch'])
    expect((await manager.listUserSessions('u1'))[0]!.lastSeenAt).toBe(clock.now())
  })

  it('a store that keeps last seen itself is believed', async () => {
    const { manager, store, signIn } = setup()
    await signIn({})
    const list = store.listByUser!.bind(store)
    store.listByUser = async (user) => (await list(user)).map((s) => ({ ...s, lastSeenAt: 1234 }))
    expect((await manager.listUserSessions('u1'))[0]!.lastSeenAt).toBe(1234)
  })

  it('revoking the current session from the list destroys it and expires its cookie', async () => {
    const { manager, signIn } = setup()
    const cookie = await signIn({})
    await signIn({})
    const handle = await manager.load({ cookie })
    const current = (await handle.session.listUserSessions()).find((d) => d.current)!
    expect(await handle.session.destroyUserSession(current.id)).toBe(true)
    expect(handle.session.isNew).toBe(true)
    expect((await handle.commit()).setCookie[0]).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/)
    expect(await manager.listUserSessions('u1')).toHaveLength(1)
  })

  it('destroyUserSessions without exceptCurrent signs this device out too', async () => {
    const { manager, signIn } = setup()
    const cookie = await signIn({})
    await signIn({})
    const handle = await manager.load({ cookie })
    expect(await handle.session.destroyUserSessions()).toBe(2)
    expect(handle.session.userId).toBeUndefined()
    expect(await manager.listUserSessions('u1')).toEqual([])
  })

  it('another user’s listed id revokes nothing', async () => {
    const { manager, signIn } = setup()
    await signIn({}, 'u2')
    const [theirs] = await manager.listUserSessions('u2')
    const mine = await manager.load({ cookie: await signIn({}) })
    expect(await mine.session.destroyUserSession(theirs!.id)).toBe(false)
    expect(await manager.listUserSessions('u2')).toHaveLength(1)
  })

  it('without a user: USER_MISSING, with a message that says to call setUser', async () => {
    const { manager } = setup()
    const { session } = await manager.load({})
    for (const call of [
      () => session.listUserSessions(),
      () => session.destroyUserSession('#abc'),
      () => session.destroyUserSessions({ exceptCurrent: true }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'USER_MISSING',
        message: expect.stringMatching(/^\[sess\].*setUser/),
      })
    }
    session.setUser('u1')
    expect(await session.destroyUserSession('')).toBe(false)
  })
})
