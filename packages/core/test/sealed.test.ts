import { describe, expect, it } from 'vitest'
import type { SessionEvent, SessionManagerOptions } from '../src/index.js'
import { createSessionManager, isSealedCookie, sealedCookie } from '../src/index.js'
import { fakeClock, requester, SECRET } from './helpers.js'

type Data = { user?: string; cart?: { items: string[] }; blob?: string; n?: number }
const OLD = 'an-older-secret-an-older-secret-0000'

function sealed(options: Partial<SessionManagerOptions<Data>> = {}, clock = fakeClock()) {
  const events: SessionEvent[] = []
  const manager = createSessionManager<Data>({
    secret: SECRET,
    store: sealedCookie(),
    clock,
    onEvent: (e) => events.push(e),
    ...options,
  })
  const request = requester(manager)
  return { manager, request, clock, events }
}

describe('sealed-cookie mode', () => {
  it('needs no store: the data round-trips inside the cookie', async () => {
    const { request } = sealed()
    const first = await request(undefined, (s) => s.set('cart', { items: ['apple'] }))
    expect(first.setCookie[0]).toMatch(
      /^sid=[A-Za-z0-9_-]+; Max-Age=86400; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/,
    )
    const second = await request(first.next, (s) => s.data.cart?.items.push('pear'))
    const third = await request(second.next)
    expect(third.session.get('cart')).toEqual({ items: ['apple', 'pear'] })
    expect(third.session.id).toBe(first.session.id)
  })
  it('keeps the data confidential: the cookie does not contain it in any readable form', async () => {
    const { request } = sealed()
    const first = await request(undefined, (s) => s.set('user', 'ada-lovelace-secret'))
    const value = (first.next as string).slice('sid='.length)
    const decoded = atob(
      value
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(value.length / 4) * 4, '='),
    )
    // Long markers only: a 3-letter one turns up by chance in random base64url about once in a thousand runs.
    expect(value).not.toContain('lovelace')
    expect(decoded).not.toContain('ada-lovelace')
    // Nor the plaintext merely base64url-encoded, at any of the three byte alignments.
    for (let shift = 0; shift < 3; shift++) {
      const encoded = btoa(`${'x'.repeat(shift)}ada-lovelace-secret`)
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
      expect(value).not.toContain(encoded.slice(4, -4))
    }
  })
  it('sends no cookie for an untouched new session and nothing for an unchanged one', async () => {
    const { request } = sealed()
    expect((await request(undefined)).setCookie).toEqual([])
    const first = await request(undefined, (s) => s.set('n', 1))
    expect((await request(first.next, (s) => s.get('n'))).setCookie).toEqual([])
  })

  const tamper = {
    'a flipped character': (v: string) => v.slice(0, 20) + (v[20] === 'A' ? 'B' : 'A') + v.slice(21),
    truncation: (v: string) => v.slice(0, -6),
    'a seal cut to the IV': (v: string) => v.slice(0, 16),
    'non-base64 characters': (v: string) => `${v.slice(0, -2)}*!`,
    'an empty value': () => '',
  }
  for (const [what, change] of Object.entries(tamper)) {
    it(`gives a fresh session for ${what}`, async () => {
      const { request, events } = sealed()
      const first = await request(undefined, (s) => s.set('user', 'ada'))
      const forged = `sid=${change((first.next as string).slice(4))}`
      const r = await request(forged)
      expect(r.session.isNew).toBe(true)
      expect(r.session.get('user')).toBeUndefined()
      if (what !== 'an empty value') expect(events).toContainEqual({ type: 'cookie-invalid' })
    })
  }
  it('does not open a seal under another cookie name (the name is authenticated)', async () => {
    const a = sealed()
    const b = sealed({ cookie: { name: 'other' } })
    const first = await a.request(undefined, (s) => s.set('user', 'ada'))
    const moved = `other=${(first.next as string).slice(4)}`
    expect((await b.request(moved)).session.isNew).toBe(true)
  })
  it('opens seals made with an older secret and re-seals them with the newest', async () => {
    const clock = fakeClock()
    const before = sealed({ secret: OLD }, clock)
    const first = await before.request(undefined, (s) => s.set('user', 'ada'))
    const rotated = sealed({ secret: [SECRET, OLD] }, clock)
    const r = await rotated.request(first.next)
    expect(r.session.get('user')).toBe('ada')
    expect(r.setCookie).toHaveLength(1)
    const newOnly = sealed({ secret: SECRET }, clock)
    expect((await newOnly.request(r.next)).session.get('user')).toBe('ada')
    expect((await newOnly.request(first.next)).session.isNew).toBe(true)
  })
  it('enforces the idle timeout from inside the seal, whatever the browser keeps', async () => {
    const { request, clock } = sealed({ idleTimeout: 60 })
    const first = await request(undefined, (s) => s.set('user', 'ada'))
    clock.advance(61_000)
    expect((await request(first.next)).session.isNew).toBe(true)
  })
  it('enforces the absolute timeout even for an active session', async () => {
    const { request, clock } = sealed({ idleTimeout: 100, absoluteTimeout: 150, touchAfter: 0 })
    let r = await request(undefined, (s) => s.set('user', 'ada'))
    clock.advance(90_000)
    r = await request(r.next)
    expect(r.session.get('user')).toBe('ada')
    clock.advance(61_000)
    expect((await request(r.next)).session.isNew).toBe(true)
  })
  it('refreshes the expiry by re-sealing when a touch is due', async () => {
    const { request, clock } = sealed({ idleTimeout: 100, touchAfter: 10 })
    const first = await request(undefined, (s) => s.set('n', 1))
    clock.advance(20_000)
    const touched = await request(first.next)
    expect(touched.setCookie).toHaveLength(1)
    expect(touched.next).not.toBe(first.next)
    clock.advance(90_000)
    expect((await request(touched.next)).session.get('n')).toBe(1)
  })
  it('re-seals a browser-session cookie (no Max-Age) on every write, or the write would be lost', async () => {
    const { request } = sealed({ cookie: { persistent: false } })
    const first = await request(undefined, (s) => s.set('n', 1))
    expect(first.setCookie[0]).not.toContain('Max-Age')
    const second = await request(first.next, (s) => s.set('n', 2))
    expect(second.setCookie).toHaveLength(1)
    expect((await request(second.next)).session.get('n')).toBe(2)
    // A read re-sends nothing.
    expect((await request(second.next)).setCookie).toEqual([])
  })
  it('fails loudly with COOKIE_TOO_LARGE instead of letting the browser drop the cookie', async () => {
    const { request } = sealed()
    await expect(request(undefined, (s) => s.set('blob', 'x'.repeat(3500)))).rejects.toMatchObject({
      code: 'COOKIE_TOO_LARGE',
    })
    const ok = await request(undefined, (s) => s.set('blob', 'x'.repeat(2500)))
    expect((ok.setCookie[0] as string).length).toBeLessThanOrEqual(4096)
  })
  it('regenerate gives a new id; destroy expires the cookie', async () => {
    const { request } = sealed()
    const first = await request(undefined, (s) => s.set('user', 'ada'))
    const regenerated = await request(first.next, (s) => s.regenerate({ keepData: true }))
    expect(regenerated.session.id).not.toBe(first.session.id)
    expect((await request(regenerated.next)).session.get('user')).toBe('ada')
    const destroyed = await request(regenerated.next, (s) => s.destroy())
    expect(destroyed.setCookie[0]).toContain('Max-Age=0')
  })
  it('cannot revoke: a copy of a destroyed session’s cookie still opens until it expires (use a store for that)', async () => {
    const { request } = sealed()
    const first = await request(undefined, (s) => s.set('user', 'ada'))
    await request(first.next, (s) => s.destroy())
    expect((await request(first.next)).session.get('user')).toBe('ada')
  })
  it('has no per-user index', async () => {
    const { manager } = sealed()
    await expect(manager.listUserSessions('u')).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' })
  })
})

describe('sealedCookie(), the store option of sealed-cookie mode', () => {
  it('is a Store whose methods reject with CAPABILITY_MISSING (it keeps no records)', async () => {
    const store = sealedCookie()
    await expect(store.get('id')).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' })
    await expect(store.set('id', { data: {}, createdAt: 0, expiresAt: 1, version: 0 }, 60)).rejects.toMatchObject({
      code: 'CAPABILITY_MISSING',
    })
    await expect(store.destroy('id')).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' })
  })
  it('carries its codec out of sight: only get, set and destroy are enumerable, and nothing serializes', () => {
    const store = sealedCookie()
    expect(Object.keys(store)).toEqual(['get', 'set', 'destroy'])
    expect(JSON.stringify(store)).toBe('{}')
    expect(isSealedCookie(store)).toBe(true)
    expect(isSealedCookie({ ...store })).toBe(false)
    expect(isSealedCookie(undefined)).toBe(false)
  })
  it('allows strict (the record is in the cookie: there is no stored version to compare with)', () => {
    expect(() => createSessionManager({ secret: SECRET, store: sealedCookie(), strict: true })).not.toThrow()
  })
  it('the removed sealed option fails at setup, whatever its value, and names the replacement', () => {
    for (const value of [true, false, undefined]) {
      expect(() =>
        createSessionManager({ secret: SECRET, store: sealedCookie(), sealed: value } as SessionManagerOptions),
      ).toThrow(
        expect.objectContaining({ code: 'OPTION_INVALID', message: expect.stringContaining('store: sealedCookie()') }),
      )
    }
  })
})

describe('sealed-cookie mode: opening a returning cookie', () => {
  // A spy on the decryption itself: a remembered cookie value opens without it.
  function countDecrypts(): { count: () => number; restore: () => void } {
    const subtle = crypto.subtle
    const original = subtle.decrypt
    let calls = 0
    subtle.decrypt = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['decrypt']>) {
      calls++
      return original.apply(this, args)
    } as SubtleCrypto['decrypt']
    return { count: () => calls, restore: () => void (subtle.decrypt = original) }
  }

  it('decrypts a value once: later requests with the same cookie, and the one it sealed, open from memory', async () => {
    const spy = countDecrypts()
    try {
      const { request } = sealed()
      const first = await request(undefined, (s) => s.set('n', 1))
      await request(first.next)
      await request(first.next)
      // The value was sealed by this codec: not even the first return decrypts.
      expect(spy.count()).toBe(0)

      // Another manager (another process, after a restart) decrypts it once, then remembers it.
      const other = sealed()
      const a = await other.request(first.next)
      const b = await other.request(first.next)
      expect(a.session.get('n')).toBe(1)
      expect(b.session.get('n')).toBe(1)
      expect(spy.count()).toBe(1)
    } finally {
      spy.restore()
    }
  })

  it('gives every request its own copy of the remembered record', async () => {
    const { manager, request } = sealed()
    const first = await request(undefined, (s) => s.set('cart', { items: ['apple'] }))
    const a = await manager.load({ cookie: first.next })
    a.session.get('cart')?.items.push('pear')
    a.session.set('n', 5)
    const b = await manager.load({ cookie: first.next })
    expect(b.session.get('cart')).toEqual({ items: ['apple'] })
    expect(b.session.get('n')).toBeUndefined()
  })

  it('remembers a bounded number of values: the oldest are decrypted again', async () => {
    const { request } = sealed()
    const first = await request(undefined, (s) => s.set('n', 0))
    // More new cookies than two generations of remembered values hold push the first one out.
    for (let i = 0; i < 2100; i++) await request(undefined, (s) => s.set('n', i))
    const spy = countDecrypts()
    try {
      const again = await request(first.next)
      expect(again.session.get('n')).toBe(0)
      expect(spy.count()).toBe(1)
    } finally {
      spy.restore()
    }
  })
})
