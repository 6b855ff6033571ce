import { describe, expect, it } from 'vitest'
import { createSessionManager, userSessionCalls } from '../src/index.js'
import { cookieOf, fakeClock, recordingStore, SECRET } from './helpers.js'

function setup() {
  const manager = createSessionManager({ secret: SECRET, store: recordingStore(), clock: fakeClock() })
  const signIn = async (user: string): Promise<string> => {
    const handle = await manager.load({})
    handle.session.setUser(user)
    return cookieOf((await handle.commit()).setCookie[0])
  }
  // One request of `cookie`'s session, with the adapter's calls over it and a count of `ended` runs.
  const request = async (cookie: string) => {
    const handle = await manager.load({ cookie })
    const ends = { count: 0 }
    const calls = userSessionCalls(handle.session, manager, () => ends.count++)
    return { handle, calls, ends }
  }
  return { manager, signIn, request }
}

describe('userSessionCalls', () => {
  it("lists this user's devices, or with a user id that user's sessions as the manager lists them", async () => {
    const { manager, signIn, request } = setup()
    const mine = await signIn('u1')
    await signIn('u1')
    await signIn('u2')
    const { calls } = await request(mine)
    const devices = (await calls.listUserSessions()) as { current: boolean }[]
    expect(devices.map((d) => d.current).sort()).toEqual([false, true])
    expect(await calls.listUserSessions('u2')).toEqual(await manager.listUserSessions('u2'))
  })

  it('runs ended when revoking a listed session ends this one, and only then', async () => {
    const { signIn, request } = setup()
    const mine = await signIn('u1')
    await signIn('u1')
    const { handle, calls, ends } = await request(mine)
    const listed = await handle.session.listUserSessions()
    const current = listed.find((d) => d.current)
    const other = listed.find((d) => !d.current)
    expect(await calls.destroyUserSession(other!.id)).toBe(true)
    expect(ends.count).toBe(0)
    expect(await calls.destroyUserSession('not-listed')).toBe(false)
    expect(ends.count).toBe(0)
    expect(await calls.destroyUserSession(current!.id)).toBe(true)
    expect(ends.count).toBe(1)
    expect((await handle.commit()).setCookie[0]).toContain('Max-Age=0')
  })

  it('signs out everywhere (ending this session) or everywhere else (keeping it)', async () => {
    const { manager, signIn, request } = setup()
    const mine = await signIn('u1')
    await signIn('u1')
    const elsewhere = await request(mine)
    expect(await elsewhere.calls.destroyUserSessions({ exceptCurrent: true })).toBe(1)
    expect(elsewhere.ends.count).toBe(0)
    await elsewhere.handle.commit()
    const everywhere = await request(mine)
    expect(await everywhere.calls.destroyUserSessions()).toBe(1)
    expect(everywhere.ends.count).toBe(1)
    expect(await manager.listUserSessions('u1')).toEqual([])
  })

  it("signs out another user's sessions through the manager, keeping this request's with exceptCurrent", async () => {
    const { manager, signIn, request } = setup()
    const admin = await signIn('u1')
    await signIn('u2')
    const { calls, ends } = await request(admin)
    expect(await calls.destroyUserSessions({ userId: 'u1', exceptCurrent: true })).toBe(0)
    expect(await calls.destroyUserSessions({ userId: 'u2' })).toBe(1)
    expect(ends.count).toBe(0)
    expect(await manager.listUserSessions('u1')).toHaveLength(1)
    expect(await manager.listUserSessions('u2')).toEqual([])
  })
})
