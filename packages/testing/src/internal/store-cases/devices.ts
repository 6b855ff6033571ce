import type { Store } from '@sess/core'
import { createSessionManager } from '@sess/core'
import { describe, expect } from 'vitest'
import type { StoreCreateOptions, StoreSuiteContext } from '../../store-suite.js'
import { itWith } from './gate.js'

const SECRET = 'a-test-secret-that-is-at-least-32-characters'
const PHONE = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)', ip: '203.0.113.5' }
const LAPTOP = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', ip: '2001:db8::7' }

/** "Your devices": device metadata kept by the store, listed through core with the current session marked. */
export function deviceCases(ctx: StoreSuiteContext): void {
  const { capabilities: caps } = ctx
  const devices = (store: Store) =>
    createSessionManager({ secret: SECRET, store, clock: ctx.clock, device: { userAgent: true, ip: true } })

  /** Signs `userId` in on a new device; returns the cookie header the device then sends. */
  const signIn = async (store: Store, userId: string, device: typeof PHONE): Promise<string> => {
    const handle = await devices(store).load({ ...device })
    handle.session.setUser(userId)
    const { setCookie } = await handle.commit()
    return setCookie[0]!.split(';')[0]!
  }

  const listedAndRevoked = async (options: StoreCreateOptions): Promise<void> => {
    const store = await ctx.open({ ...options, deviceMetadata: true })
    const user = `user-${ctx.id()}`
    const before = ctx.clock.now()
    const phone = await signIn(store, user, PHONE)
    const laptop = await signIn(store, user, LAPTOP)
    const tablet = await signIn(store, user, { userAgent: 'Tablet', ip: '198.51.100.9' })
    await signIn(store, `other-${ctx.id()}`, PHONE)

    const onPhone = await devices(store).load({ cookie: phone })
    const list = await onPhone.session.listUserSessions()
    expect(list).toHaveLength(3)
    expect(list.filter((d) => d.current).map((d) => d.userAgent)).toEqual([PHONE.userAgent])
    const other = list.find((d) => d.userAgent === LAPTOP.userAgent)
    expect(other).toMatchObject({ current: false, ip: LAPTOP.ip })
    for (const d of list) {
      expect(d.createdAt).toBeGreaterThanOrEqual(before - 1000)
      expect(d.lastSeenAt).toBeGreaterThanOrEqual(d.createdAt - 1000)
      expect(d.lastSeenAt).toBeLessThanOrEqual(ctx.clock.now() + 1000)
      expect(d.expiresAt).toBeGreaterThan(ctx.clock.now())
    }

    // One listed device signed out by its listed id (raw or '#' + hash), the others untouched.
    expect(await onPhone.session.destroyUserSession(other!.id)).toBe(true)
    expect((await devices(store).load({ cookie: laptop })).session.userId).toBeUndefined()
    expect(await onPhone.session.destroyUserSession(other!.id)).toBe(false)
    expect(await onPhone.session.destroyUserSession(`#${'0'.repeat(64)}`)).toBe(false)
    expect((await devices(store).load({ cookie: tablet })).session.userId).toBe(user)

    // Everywhere else: the tablet goes, this device stays.
    expect(await onPhone.session.destroyUserSessions({ exceptCurrent: true })).toBe(1)
    await onPhone.commit()
    expect((await devices(store).load({ cookie: tablet })).session.userId).toBeUndefined()
    const again = await devices(store).load({ cookie: phone })
    expect(again.session.userId).toBe(user)
    expect((await again.session.listUserSessions()).map((d) => d.current)).toEqual([true])
  }

  describe('your devices', () => {
    itWith(
      caps,
      ['users'],
      'lists a user’s devices with metadata, marks the current one, revokes one or all others',
      () => listedAndRevoked({}),
    )
    itWith(caps, ['users', 'hashIds'], 'the same with hashed ids: a listed "#" id revokes that one device', () =>
      listedAndRevoked({ hashIds: true }),
    )
    itWith(
      caps,
      ['patch', 'touch'],
      'a patch and a touch keep the user agent and IP a record was created with',
      async () => {
        const store = await ctx.open({ deviceMetadata: true })
        const id = ctx.id()
        const record = ctx.record({ views: 1 }, { userId: `user-${ctx.id()}`, ...PHONE })
        await ctx.put(store, id, record)
        expect(await store.get(id)).toMatchObject({ ...PHONE, data: { views: 1 } })
        const expiresAt = ctx.clock.now() + 7200_000
        expect(await store.patch!(id, { set: { views: 2 }, unset: [], expiresAt }, 7200)).toBe('ok')
        await store.touch!(id, expiresAt + 1000, 7201)
        expect(await store.get(id)).toMatchObject({ ...PHONE, data: { views: 2 } })
      },
    )
    itWith(caps, ['users'], 'without the device option nothing personal is recorded', async () => {
      const store = await ctx.open({ deviceMetadata: true })
      const manager = createSessionManager({ secret: SECRET, store, clock: ctx.clock })
      const user = `user-${ctx.id()}`
      const handle = await manager.load(PHONE)
      handle.session.setUser(user)
      await handle.commit()
      const [listed] = await manager.listUserSessions(user)
      expect(listed?.session.createdAt).toBeTypeOf('number')
      expect(listed?.session.userAgent).toBeUndefined()
      expect(listed?.session.ip).toBeUndefined()
    })
  })
}
