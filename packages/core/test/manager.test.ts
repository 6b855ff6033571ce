import { describe, expect, it } from 'vitest'
import type { SessionEvent, SessionManagerOptions } from '../src/index.js'
import { createSessionManager, invalidRecord, touchedExpiresAt } from '../src/index.js'
import type { RecordingStore } from './helpers.js'
import { cookieOf, fakeClock, recordingStore, requester, SECRET } from './helpers.js'

type Data = { views?: number; a?: string; b?: string; cart?: { items: string[] }; big?: bigint; [k: string]: unknown }

function setup(options: Partial<SessionManagerOptions<Data>> = {}, store: RecordingStore = recordingStore()) {
  const clock = fakeClock()
  const events: SessionEvent[] = []
  const manager = createSessionManager<Data>({
    secret: SECRET,
    store,
    clock,
    onEvent: (e) => events.push(e),
    ...options,
  })
  const request = requester(manager)
  return { manager, store, clock, events, request }
}

describe('a request without a session cookie', () => {
  it('costs no store call and sends no cookie when the session is untouched', async () => {
    const { request, store } = setup()
    const r = await request(undefined, (s) => s.get('views'))
    expect(store.calls).toEqual([])
    expect(r.setCookie).toEqual([])
  })
  it('creates the session with one write when data is set, with secure default attributes', async () => {
    const { request, store } = setup()
    const r = await request(undefined, (s) => s.set('views', 1))
    expect(store.calls).toEqual(['set'])
    expect(r.setCookie).toHaveLength(1)
    const header = r.setCookie[0] as string
    expect(header).toMatch(
      /^sid=s%3A[A-Za-z0-9_-]{32}\.[A-Za-z0-9%]+; Max-Age=86400; Path=\/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$/,
    )
    expect(header).not.toContain('Secure')
    expect(store.ttls.get(r.session.id)).toBe(86400)
  })
  it('adds Secure when the request is secure', async () => {
    const { request } = setup()
    const r = await request(undefined, (s) => s.set('views', 1), true)
    expect(r.setCookie[0]).toContain('; Secure')
  })
  it('saves an untouched session when saveUninitialized is on', async () => {
    const { request, store } = setup({ saveUninitialized: true })
    const r = await request(undefined)
    expect(store.calls).toEqual(['set'])
    expect(r.setCookie).toHaveLength(1)
  })
})

describe('a returning visitor', () => {
  it('costs exactly one store read and no write for a read-only request', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    store.calls.length = 0
    const r = await request(first.next, (s) => expect(s.get('views')).toBe(1))
    expect(store.calls).toEqual(['get'])
    expect(r.setCookie).toEqual([])
  })
  it('writes only the changed top-level key as a patch', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => {
      s.set('a', 'x')
      s.set('views', 1)
    })
    let patchArg: unknown
    const patch = store.patch!
    store.patch = async (id, p, ttl) => ((patchArg = p), patch(id, p, ttl))
    store.calls.length = 0
    await request(first.next, (s) => s.set('views', (s.get('views') ?? 0) + 1))
    expect(store.calls).toEqual(['get', 'patch'])
    expect(patchArg).toMatchObject({ set: { views: 2 }, unset: [] })
  })
  it('detects nested mutations through data and get()', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('cart', { items: [] }))
    await request(first.next, (s) => {
      s.data.cart?.items.push('apple')
    })
    await request(first.next, (s) => {
      s.get('cart')?.items.push('pear')
    })
    const r = await request(first.next, (s) => s.get('cart'))
    expect(r.session.get('cart')).toEqual({ items: ['apple', 'pear'] })
    expect(store.calls.filter((c) => c === 'patch')).toHaveLength(2)
  })
  it('does not write when an object is read but not changed', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('cart', { items: ['a'] }))
    store.calls.length = 0
    await request(first.next, (s) => {
      const cart = s.data.cart
      expect(cart?.items[0]).toBe('a')
      expect(JSON.stringify(s.data)).toBe('{"cart":{"items":["a"]}}')
    })
    expect(store.calls).toEqual(['get'])
  })
  it('supports plain property access, deletion and enumeration on data', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => {
      s.data.views = 1
      s.data.a = 'x'
    })
    const r = await request(first.next, (s) => {
      ;(s.data.views as number)++
      delete s.data.a
      expect(Object.keys(s.data)).toEqual(['views'])
      expect('a' in s.data).toBe(false)
    })
    expect(r.session.toJSON()).toEqual({ views: 2 })
    const again = await request(first.next)
    expect(again.session.toJSON()).toEqual({ views: 2 })
  })
  it('falls back to a full set when the store has no patch', async () => {
    const { request, store } = setup({}, recordingStore({ patch: false }))
    const first = await request(undefined, (s) => s.set('views', 1))
    store.calls.length = 0
    await request(first.next, (s) => s.set('views', 2))
    expect(store.calls).toEqual(['get', 'set'])
  })
  it('refuses a cookie for an unknown id with a fresh session and a new id', async () => {
    const { request, store, events } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    store.records.clear()
    const r = await request(first.next, (s) => s.set('views', 5))
    expect(cookieOf(r.setCookie[0])).not.toBe(first.next)
    expect(events).toContainEqual({ type: 'session-missing' })
  })
})

describe('expiry', () => {
  it('touches at most once per touchAfter window and re-sends the cookie with the same expiry as the TTL', async () => {
    const { request, store, clock } = setup({ idleTimeout: 1000, touchAfter: 100 })
    const first = await request(undefined, (s) => s.set('views', 1))
    store.calls.length = 0
    clock.advance(50_000)
    const quiet = await request(first.next)
    expect(store.calls).toEqual(['get'])
    expect(quiet.setCookie).toEqual([])
    clock.advance(60_000)
    const touched = await request(first.next)
    expect(store.calls).toEqual(['get', 'get', 'touch'])
    expect(touched.setCookie[0]).toContain('Max-Age=1000;')
    expect(store.ttls.get(touched.session.id)).toBe(1000)
    expect(touched.session.expiresAt).toBe(clock.now() + 1_000_000)
  })
  it('refreshes the expiry inside the read when the store has getAndTouch: one round trip', async () => {
    const { request, store, clock } = setup(
      { idleTimeout: 1000, touchAfter: 100 },
      recordingStore({ getAndTouch: true }),
    )
    const first = await request(undefined, (s) => s.set('views', 1))
    store.calls.length = 0
    clock.advance(50_000)
    expect((await request(first.next)).setCookie).toEqual([])
    clock.advance(60_000)
    const touched = await request(first.next)
    expect(store.calls).toEqual(['getAndTouch', 'getAndTouch'])
    expect(touched.setCookie[0]).toContain('Max-Age=1000;')
    expect(store.ttls.get(touched.session.id)).toBe(1000)
    clock.advance(1_001_000)
    expect((await request(first.next)).session.isNew).toBe(true)
  })
  it('touchedExpiresAt never extends an expired session or one past its absolute timeout', () => {
    const policy = { now: 10_000, idleTimeout: 100, absoluteTimeout: 50, touchAfter: 0 }
    expect(touchedExpiresAt({ createdAt: 0, expiresAt: 9_000 }, policy)).toBeUndefined()
    expect(touchedExpiresAt({ createdAt: -45_000, expiresAt: 11_000 }, policy)).toBeUndefined()
    expect(touchedExpiresAt({ createdAt: 0, expiresAt: 11_000 }, policy)).toBe(50_000)
    expect(
      touchedExpiresAt({ createdAt: 0, expiresAt: 11_000, maxAge: 10 }, { ...policy, absoluteTimeout: null }),
    ).toBe(20_000)
    expect(touchedExpiresAt({ createdAt: 0, expiresAt: 11_000 }, { ...policy, touchAfter: 100 })).toBeUndefined()
  })
  it('uses set for a touch when the store has no touch', async () => {
    const { request, store, clock } = setup({ idleTimeout: 1000, touchAfter: 0 }, recordingStore({ touch: false }))
    const first = await request(undefined, (s) => s.set('views', 1))
    store.calls.length = 0
    clock.advance(1000)
    await request(first.next)
    expect(store.calls).toEqual(['get', 'set'])
  })
  it('expires an idle session', async () => {
    const { request, clock, events } = setup({ idleTimeout: 60 })
    const first = await request(undefined, (s) => s.set('views', 1))
    clock.advance(61_000)
    const r = await request(first.next)
    expect(r.session.isNew).toBe(true)
    expect(r.session.get('views')).toBeUndefined()
    expect(events).toContainEqual({ type: 'session-expired' })
  })
  it('never serves an expired record even if the store returns it', async () => {
    const { request, clock, store } = setup({ idleTimeout: 60 })
    const first = await request(undefined, (s) => s.set('views', 1))
    clock.advance(120_000)
    expect(store.records.size).toBe(1)
    expect((await request(first.next)).session.get('views')).toBeUndefined()
  })
  it('ends a session at the absolute timeout however active it is, capping TTL and Max-Age', async () => {
    const { request, clock, store } = setup({ idleTimeout: 100, absoluteTimeout: 250, touchAfter: 0 })
    const first = await request(undefined, (s) => s.set('views', 1))
    clock.advance(90_000)
    await request(first.next)
    clock.advance(90_000)
    const capped = await request(first.next, (s) => s.set('views', 2))
    expect(capped.setCookie[0]).toContain('Max-Age=70;')
    expect(store.ttls.get(capped.session.id)).toBe(70)
    clock.advance(71_000)
    expect((await request(first.next)).session.isNew).toBe(true)
  })
  it('makes a browser-session cookie with persistent: false while the store still expires', async () => {
    const { request, store } = setup({ cookie: { persistent: false }, idleTimeout: 600 })
    const r = await request(undefined, (s) => s.set('views', 1))
    expect(r.setCookie[0]).not.toContain('Max-Age')
    expect(r.setCookie[0]).not.toContain('Expires')
    expect(store.ttls.get(r.session.id)).toBe(600)
  })
  it('lets one session choose its own lifetime (remember me) or a browser-session cookie', async () => {
    const { request, store } = setup()
    const r = await request(undefined, (s) => {
      s.set('views', 1)
      s.setMaxAge(30 * 86400)
    })
    expect(r.setCookie[0]).toContain(`Max-Age=${30 * 86400};`)
    expect(store.ttls.get(r.session.id)).toBe(30 * 86400)
    const r2 = await request(r.next, (s) => s.setMaxAge(null))
    expect(r2.setCookie[0]).not.toContain('Max-Age')
    expect(store.ttls.get(r.session.id)).toBe(86400)
  })
  it('sends the cookie and touches on every request when rolling', async () => {
    const { request, store, clock } = setup({ rolling: true })
    const first = await request(undefined, (s) => s.set('views', 1))
    store.calls.length = 0
    clock.advance(1000)
    const r = await request(first.next)
    expect(store.calls).toEqual(['get', 'touch'])
    expect(r.setCookie).toHaveLength(1)
  })
})

describe('bad cookies', () => {
  const cases = {
    tampered: (c: string) => c.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
    unsigned: () => 'sid=plain-id',
    garbage: () => 'sid=%%%\u0001;;;=',
    oversized: () => `sid=s%3A${'a'.repeat(8000)}.sig`,
    'another name': () => 'other=s%3Aabc.def',
  }
  for (const [what, make] of Object.entries(cases)) {
    it(`treats a ${what} cookie as no session, without a store read or a throw`, async () => {
      const { request, store } = setup()
      const first = await request(undefined, (s) => s.set('views', 1))
      store.calls.length = 0
      const r = await request(make(first.next as string), (s) => expect(s.get('views')).toBeUndefined())
      expect(store.calls).toEqual([])
      expect(r.session.isNew).toBe(true)
    })
  }
  it('leaves a stale or bad cookie alone on a request that stores nothing, and expires it on destroy or regenerate', async () => {
    // A cookie of the same name may belong to another path or app: only the app ending the session clears it.
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    store.records.clear()
    for (const cookie of [first.next, 'sid=plain-id', `${first.next}x`]) {
      expect((await request(cookie, (s) => s.get('views'))).setCookie).toEqual([])
      expect((await request(cookie, (s) => s.reload())).setCookie).toEqual([])
      expect((await request(cookie, (s) => s.destroy())).setCookie[0]).toMatch(/^sid=; Max-Age=0;/)
      expect((await request(cookie, (s) => s.regenerate())).setCookie[0]).toMatch(/^sid=; Max-Age=0;/)
    }
  })
  it('tries each duplicate cookie, not only the first', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('views', 7))
    const r = await request(`sid=s%3Abogus.sig; ${first.next}`)
    expect(r.session.get('views')).toBe(7)
  })
  it('re-signs a cookie verified by an older secret', async () => {
    const store = recordingStore()
    const oldSecret = 'old-secret-old-secret-old-secret-old-0'
    const before = setup({ secret: oldSecret }, store)
    const first = await before.request(undefined, (s) => s.set('views', 1))
    const after = setup({ secret: [SECRET, oldSecret] }, store)
    const r = await after.request(first.next)
    expect(r.session.get('views')).toBe(1)
    expect(r.setCookie).toHaveLength(1)
    expect(cookieOf(r.setCookie[0])).not.toBe(first.next)
    expect((await setup({ secret: SECRET }, store).request(cookieOf(r.setCookie[0]))).session.get('views')).toBe(1)
  })
})

describe('regenerate and destroy', () => {
  it('regenerate issues a new id, destroys the old record and sends the new cookie', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const oldId = first.session.id
    const r = await request(first.next, async (s) => {
      await s.regenerate()
      s.set('a', 'x')
    })
    expect(r.session.id).not.toBe(oldId)
    expect(store.records.has(oldId)).toBe(false)
    expect(r.session.toJSON()).toEqual({ a: 'x' })
    expect((await request(first.next)).session.isNew).toBe(true)
    expect((await request(r.next)).session.get('a')).toBe('x')
  })
  it('regenerate can keep the data', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('views', 3))
    const r = await request(first.next, (s) => s.regenerate({ keepData: true }))
    expect(r.setCookie).toHaveLength(1)
    expect((await request(r.next)).session.get('views')).toBe(3)
  })
  it('an empty regenerated session clears the old cookie', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('views', 3))
    const r = await request(first.next, (s) => s.regenerate())
    expect(r.setCookie[0]).toMatch(
      /^sid=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
    )
  })
  it('destroy removes the record and expires the cookie', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const r = await request(first.next, (s) => s.destroy())
    expect(store.records.size).toBe(0)
    expect(r.setCookie[0]).toContain('Max-Age=0')
  })
  it('data set after destroy starts a new session under a new id', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const r = await request(first.next, async (s) => {
      await s.destroy()
      s.flash('info', 'logged out')
    })
    expect(r.next).not.toBe(first.next)
    const after = await request(r.next, (s) => expect(s.consumeFlash('info')).toEqual(['logged out']))
    expect(after.session.get('views')).toBeUndefined()
  })
})

describe('concurrency', () => {
  it('two overlapping requests changing different keys both persist', async () => {
    const { manager, request } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const [h1, h2] = await Promise.all([manager.load({ cookie: first.next }), manager.load({ cookie: first.next })])
    h1.session.set('a', 'one')
    h2.session.set('b', 'two')
    await Promise.all([h1.commit(), h2.commit()])
    expect((await request(first.next)).session.toJSON()).toEqual({ views: 1, a: 'one', b: 'two' })
  })
  it('strict mode rejects a write based on a stale version', async () => {
    const { manager, request } = setup({ strict: true })
    const first = await request(undefined, (s) => s.set('views', 1))
    const h1 = await manager.load({ cookie: first.next })
    const h2 = await manager.load({ cookie: first.next })
    h1.session.set('views', 2)
    h2.session.set('views', 3)
    await h1.commit()
    await expect(h2.commit()).rejects.toMatchObject({ code: 'SESSION_CONFLICT' })
    expect((await request(first.next)).session.get('views')).toBe(2)
  })
  it('a request holding an old copy cannot resurrect a destroyed session', async () => {
    const { manager, request, store, events } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const stale = await manager.load({ cookie: first.next })
    await request(first.next, (s) => s.destroy())
    stale.session.set('views', 99)
    const { setCookie } = await stale.commit()
    expect(store.records.size).toBe(0)
    expect(setCookie[0]).toContain('Max-Age=0')
    expect(events).toContainEqual({ type: 'patch-missing' })
  })
})

describe('store failures', () => {
  it('wraps a failing read in SessionStoreError with the cause, without the session id in the message', async () => {
    const { request, store } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const cause = new Error('ECONNREFUSED')
    store.get = async () => {
      throw cause
    }
    const error = await request(first.next).catch((e) => e)
    expect(error).toMatchObject({ code: 'STORE_FAILURE', operation: 'get', cause })
    expect(error.message).not.toContain(first.session.id)
  })
  it('fails a hanging store call within storeTimeout', async () => {
    const { request, store } = setup({ storeTimeout: 0.05 })
    store.set = () => new Promise(() => {})
    const started = Date.now()
    await expect(request(undefined, (s) => s.set('views', 1))).rejects.toMatchObject({ code: 'STORE_TIMEOUT' })
    expect(Date.now() - started).toBeLessThan(2000)
  })
  it('continues with a fresh session on a failing read when failOpen is set', async () => {
    const { request, store, events } = setup({ failOpen: true })
    const first = await request(undefined, (s) => s.set('views', 1))
    store.get = async () => {
      throw new Error('down')
    }
    const r = await request(first.next)
    expect(r.session.isNew).toBe(true)
    expect(events.some((e) => e.type === 'store-error')).toBe(true)
  })
  it('treats a corrupt record as no session', async () => {
    const { request, store, events } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    store.records.set(first.session.id, JSON.stringify({ data: 'nope', createdAt: 'x' }))
    const r = await request(first.next)
    expect(r.session.isNew).toBe(true)
    expect(events).toContainEqual({ type: 'record-invalid', reason: 'data is not an object' })
  })
})

describe('misuse', () => {
  it('rejects changes after commit and a second commit', async () => {
    const { manager } = setup()
    const handle = await manager.load({})
    await handle.commit()
    expect(() => handle.session.set('views', 1)).toThrow(expect.objectContaining({ code: 'ALREADY_COMMITTED' }))
    await expect(handle.commit()).rejects.toMatchObject({ code: 'ALREADY_COMMITTED' })
  })
  it('rejects data JSON cannot represent with DATA_NOT_SERIALIZABLE', async () => {
    const { request } = setup()
    await expect(request(undefined, (s) => s.set('big', 1n))).rejects.toMatchObject({ code: 'DATA_NOT_SERIALIZABLE' })
  })
  it('stores a __proto__ key as data without touching the prototype', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.set('__proto__', { polluted: true }))
    const r = await request(first.next)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(r.session.get('__proto__')).toEqual({ polluted: true })
    // Changed later, it goes through a patch, which must carry the key too.
    await request(first.next, (s) => s.set('__proto__', { polluted: false }))
    expect((await request(first.next)).session.get('__proto__')).toEqual({ polluted: false })
  })
})

describe('flash, save, reload, users', () => {
  it('flash messages are read once', async () => {
    const { request } = setup()
    const first = await request(undefined, (s) => s.flash('error', 'bad password'))
    await request(first.next, (s) => expect(s.consumeFlash('error')).toEqual(['bad password']))
    await request(first.next, (s) => expect(s.consumeFlash('error')).toEqual([]))
  })
  it('save() writes immediately; commit then writes only later changes', async () => {
    const { request, store } = setup()
    const r = await request(undefined, async (s) => {
      s.set('views', 1)
      await s.save()
      expect(store.calls).toEqual(['set'])
      s.set('a', 'x')
    })
    expect(store.calls).toEqual(['set', 'patch'])
    expect(r.setCookie).toHaveLength(1)
  })
  it('reload() picks up changes made by another request', async () => {
    const { manager, request } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    const h = await manager.load({ cookie: first.next })
    await request(first.next, (s) => s.set('views', 2))
    expect(h.session.get('views')).toBe(1)
    expect(await h.session.reload()).toBe(true)
    expect(h.session.get('views')).toBe(2)
  })
  it('lists and revokes a user’s sessions, optionally except the current one', async () => {
    const { manager, request } = setup()
    const a = await request(undefined, (s) => s.setUser('u1'))
    const b = await request(undefined, (s) => s.setUser('u1'))
    await request(undefined, (s) => s.setUser('u2'))
    expect((await manager.listUserSessions('u1')).map((s) => s.id).sort()).toEqual([a.session.id, b.session.id].sort())
    expect(await manager.destroyUserSessions('u1', { except: a.session.id })).toBe(1)
    expect((await request(a.next)).session.userId).toBe('u1')
    expect((await request(b.next)).session.isNew).toBe(true)
  })
  it('says clearly when the store has no per-user index', async () => {
    const { manager } = setup({}, recordingStore({ users: false }))
    await expect(manager.listUserSessions('u1')).rejects.toMatchObject({ code: 'CAPABILITY_MISSING' })
  })
})

describe('peekSetCookie', () => {
  it('predicts the commit’s Set-Cookie synchronously when a sync HMAC is given', async () => {
    const { createHmac } = await import('node:crypto')
    const hmacSync = (secret: string, data: string) =>
      createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')
    const { manager } = setup({ hmacSync })
    const handle = await manager.load({})
    expect(handle.peekSetCookie()).toEqual([])
    handle.session.set('views', 1)
    const peeked = handle.peekSetCookie()
    const { setCookie } = await handle.commit()
    expect(peeked).toEqual(setCookie)
    expect(setCookie).toHaveLength(1)
  })
  it('is undefined when no signature is available synchronously yet', async () => {
    const { manager } = setup()
    const handle = await manager.load({})
    handle.session.set('views', 1)
    expect(handle.peekSetCookie()).toBeUndefined()
  })
})

describe('commitSync', () => {
  const OLD = 'an-old-secret-of-thirty-two-chars-long'
  // Each case runs twice on identical state: once committed with commitSync, once with commit(); they must agree.
  const twins = async (
    options: Partial<SessionManagerOptions<Data>>,
    seed: ((s: import('../src/index.js').Session<Data>) => unknown) | undefined,
    handler: (s: import('../src/index.js').Session<Data>) => unknown,
    secure = false,
  ) => {
    const results: Array<{ sync: string[] | undefined; calls: string[] }> = []
    for (const useSync of [true, false]) {
      const { manager, store, clock } = setup(options)
      let cookie: string | undefined
      if (seed) {
        // The seed session is created under the old secret when rotation is being tested.
        const seeder =
          options.secret === OLD || Array.isArray(options.secret)
            ? setup({ ...options, secret: OLD }, store)
            : { manager }
        const h = await seeder.manager.load({})
        await seed(h.session)
        cookie = cookieOf((await h.commit()).setCookie[0])
      }
      clock.advance(1000)
      store.calls.length = 0
      const handle = await manager.load({ cookie, secure })
      await handler(handle.session)
      const sync = useSync ? handle.commitSync() : undefined
      const setCookie = sync?.setCookie ?? (await handle.commit()).setCookie
      // The twins hold different ids: compare everything but the value, and that the value is the one sent.
      const masked = setCookie.map((v) => {
        expect(cookieOf(v) === cookie || v.includes('Max-Age=0')).toBe(true)
        return v.replace(/^([^=]+)=[^;]*/, '$1=<value>')
      })
      results.push({ sync: useSync ? sync && masked : masked, calls: [...store.calls] })
    }
    return { sync: results[0] as (typeof results)[0], async: results[1] as (typeof results)[0] }
  }

  it('commits a read-only returning visitor without a store call or a deferred step', async () => {
    const r = await twins(
      {},
      (s) => s.set('views', 1),
      (s) => s.get('views'),
    )
    expect(r.sync.sync).toEqual([])
    expect(r.sync.calls).toEqual(['get'])
    expect(r.async.sync).toEqual([])
  })
  it('sends the same rolling cookie as commit() would', async () => {
    const r = await twins(
      { rolling: true, touchAfter: 3600 },
      (s) => s.set('views', 1),
      (s) => s.get('views'),
    )
    expect(r.sync.sync).toHaveLength(1)
    expect(r.sync.sync).toEqual(r.async.sync)
  })
  it('expires the cookie of a destroyed session, as commit() would', async () => {
    const r = await twins(
      {},
      (s) => s.set('views', 1),
      (s) => s.destroy(),
    )
    expect(r.sync.sync?.[0]).toContain('Max-Age=0')
    expect(r.sync.sync).toEqual(r.async.sync)
  })
  it('declines when a write is due, leaving the session open for commit()', async () => {
    const { manager, store } = setup()
    const handle = await manager.load({})
    handle.session.set('views', 1)
    expect(handle.commitSync()).toBeUndefined()
    handle.session.set('views', 2)
    const { setCookie } = await handle.commit()
    expect(setCookie).toHaveLength(1)
    expect(store.calls).toEqual(['set'])
  })
  it('declines when the cookie must be re-signed and only Web Crypto is available (old secret, rolling)', async () => {
    const { manager: oldManager, store } = setup({ secret: OLD })
    const first = await oldManager.load({})
    first.session.set('views', 1)
    const cookie = cookieOf((await first.commit()).setCookie[0])
    const { manager } = setup({ secret: [SECRET, OLD] }, store)
    const handle = await manager.load({ cookie })
    expect(handle.session.get('views')).toBe(1)
    expect(handle.commitSync()).toBeUndefined()
    const { setCookie } = await handle.commit()
    expect(setCookie).toHaveLength(1)
    expect(cookieOf(setCookie[0])).not.toBe(cookie)
  })
  it('works destructured from the handle, as the README shows for commit()', async () => {
    const { manager, store } = setup()
    const handle = await manager.load({})
    const { session, commit, commitSync, peekSetCookie, lifetime } = handle
    session.set('views', 1)
    expect(commitSync()).toBeUndefined()
    expect(peekSetCookie()).toBeUndefined() // Web Crypto only: no synchronous signature
    expect(lifetime().maxAge).toBeGreaterThan(0)
    expect((await commit()).setCookie).toHaveLength(1)
    expect(store.calls).toEqual(['set'])
    // Each method is bound once: reading it again gives the same function.
    expect(handle.commit).toBe(commit)
    const { finish } = await manager.load({})
    expect(await finish()).toEqual({ setCookie: [] })
  })
  it('closes the session: later changes fail as after commit()', async () => {
    const { manager } = setup()
    const handle = await manager.load({})
    expect(handle.commitSync()).toEqual({ setCookie: [] })
    expect(() => handle.session.set('views', 1)).toThrow(expect.objectContaining({ code: 'ALREADY_COMMITTED' }))
  })
})

describe('signing cost', () => {
  const counting = async () => {
    const { createHmac } = await import('node:crypto')
    const calls = { n: 0 }
    const hmacSync = (secret: string, data: string) => {
      calls.n++
      return createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')
    }
    return { calls, hmacSync }
  }
  it("re-sends a returning visitor's verified cookie value as it came, without another HMAC", async () => {
    const { calls, hmacSync } = await counting()
    const { request } = setup({ hmacSync })
    const first = await request(undefined, (s) => s.set('views', 1))
    calls.n = 0
    const second = await request(first.next, (s) => s.set('views', 2))
    expect(calls.n).toBe(1) // the verification
    expect(cookieOf(second.setCookie[0] as string)).toBe(first.next)
    const third = await request(first.next, (s) => s.set('views', 3))
    expect(calls.n).toBe(1) // verified before: neither verified nor signed again
    expect(cookieOf(third.setCookie[0] as string)).toBe(first.next)
  })
  it('still re-signs a cookie verified by an old secret with the first one', async () => {
    const { hmacSync } = await counting()
    const old = setup({ hmacSync, secret: 'an-old-secret-of-thirty-two-chars-long' })
    const first = await old.request(undefined, (s) => s.set('views', 1))
    const rotated = setup({ hmacSync, secret: [SECRET, 'an-old-secret-of-thirty-two-chars-long'] }, old.store)
    const r = await rotated.request(first.next, (s) => s.get('views'))
    expect(r.setCookie).toHaveLength(1)
    expect(cookieOf(r.setCookie[0] as string)).not.toBe(first.next)
    expect(r.session.get('views')).toBe(1)
  })
})

describe('invalidRecord', () => {
  it('lets a store report an undecodable value: a fresh session and a record-invalid event with its reason', async () => {
    const { request, store, events } = setup()
    const first = await request(undefined, (s) => s.set('views', 1))
    store.get = async () => invalidRecord('not a hash')
    const r = await request(first.next)
    expect(r.session.isNew).toBe(true)
    expect(events).toContainEqual({ type: 'record-invalid', reason: 'not a hash' })
  })
})
