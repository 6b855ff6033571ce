import { describe, expect, it } from 'vitest'
import type { SessionManagerOptions } from '../src/index.js'
import { createSessionManager, isSessionError, MAX_LIFETIME_SECONDS } from '../src/index.js'
import { fakeClock, recordingStore, requester, SECRET } from './helpers.js'

type Data = Record<string, unknown>

function setup(options: Partial<SessionManagerOptions<Data>> = {}) {
  const store = recordingStore()
  const manager = createSessionManager<Data>({ secret: SECRET, store, clock: fakeClock(), ...options })
  return { manager, store, request: requester(manager) }
}

describe('issue 17.4: save() not awaited, then regenerate() on a new session', () => {
  it('destroys the pre-login record and keeps the login under the new id', async () => {
    const { manager, store } = setup()
    const handle = await manager.load({})
    const s = handle.session
    s.set('cart', ['book'])
    void s.save()
    const before = s.id
    await s.regenerate()
    s.set('user', 'ada')
    const { setCookie } = await handle.commit()
    expect(store.records.has(before)).toBe(false)
    expect(s.id).not.toBe(before)
    expect(JSON.parse(store.records.get(s.id) ?? 'null')?.data).toEqual({ user: 'ada' })
    expect(setCookie[0]).toMatch(/^sid=s%3A/)
    expect(setCookie[0]).not.toMatch(/Max-Age=0/)
  })
})

describe('issue 17.5: a nested change that makes the data unserializable', () => {
  it('fails the commit with DATA_NOT_SERIALIZABLE, never a raw TypeError (BigInt, cycle)', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('profile', { name: 'a' }))
    await expect(
      request(first.next, (s) => {
        ;(s.get('profile') as Record<string, unknown>).age = 1n
      }),
    ).rejects.toMatchObject({ code: 'DATA_NOT_SERIALIZABLE' })
    await expect(
      request(first.next, (s) => {
        const p = s.get('profile') as Record<string, unknown>
        p.self = p
      }),
    ).rejects.toMatchObject({ code: 'DATA_NOT_SERIALIZABLE' })
  })
  it('isModified() answers instead of throwing', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('profile', { name: 'a' }))
    await request(first.next, (s) => {
      ;(s.get('profile') as Record<string, unknown>).age = 1n
      expect(s.isModified()).toBe(true)
      s.delete('profile')
    })
  })
})

describe('issue 17.6: values JSON would silently change fail at write time, whatever the store', () => {
  const values: Array<[string, unknown]> = [
    ['Map', new Map([['a', 1]])],
    ['Set', new Set([1])],
    ['RegExp', /a/],
    ['Error', new Error('x')],
    ['function', () => 1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['undefined in an array', [1, undefined]],
  ]
  it.each(values)('%s', async (_, value) => {
    const { request, store } = setup()
    await expect(request(undefined, (s) => s.set('v', value))).rejects.toMatchObject({
      code: 'DATA_NOT_SERIALIZABLE',
    })
    expect(store.calls).toEqual([])
    // Through a patch on an existing session as well.
    const first = await request(undefined, (s) => s.set('ok', 1))
    await expect(request(first.next, (s) => s.set('v', value))).rejects.toMatchObject({ code: 'DATA_NOT_SERIALIZABLE' })
  })
})

describe('issue 17.7: lifetimes are bounded to what a cookie and a store can represent', () => {
  it('setMaxAge rejects 1e300, Infinity, 0 and non-numbers with a coded error; 400 days pass', async () => {
    const { request } = setup()
    for (const bad of [1e300, MAX_LIFETIME_SECONDS + 1, Number.POSITIVE_INFINITY, 0, -1, '60' as unknown as number]) {
      await request(undefined, (s) => {
        let thrown: unknown
        try {
          s.setMaxAge(bad)
        } catch (error) {
          thrown = error
        }
        expect(isSessionError(thrown) && thrown.code).toBe('ARGUMENT_INVALID')
      })
    }
    const ok = await request(undefined, (s) => s.setMaxAge(MAX_LIFETIME_SECONDS))
    expect(ok.setCookie[0]).toContain(`Max-Age=${MAX_LIFETIME_SECONDS}`)
  })
  it('idleTimeout and absoluteTimeout over 400 days fail at setup with OPTION_INVALID', () => {
    expect(() => setup({ idleTimeout: 1e300 })).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }))
    expect(() => setup({ absoluteTimeout: MAX_LIFETIME_SECONDS + 1 })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID' }),
    )
    expect(() => setup({ idleTimeout: MAX_LIFETIME_SECONDS })).not.toThrow()
  })
})

describe('issue 12.5: every throw carries a code', () => {
  it('setUser with a bad argument, per-user calls without a user', async () => {
    const { request, manager } = setup()
    await request(undefined, (s) => {
      expect(() => s.setUser('')).toThrow(expect.objectContaining({ code: 'ARGUMENT_INVALID' }))
    })
    await expect(manager.listUserSessions(undefined as unknown as string)).rejects.toMatchObject({
      code: 'ARGUMENT_INVALID',
    })
  })
})
