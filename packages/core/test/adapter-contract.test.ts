import { describe, expect, it } from 'vitest'
import type { SessionManagerOptions } from '../src/index.js'
import { createSessionManager, propertiesView } from '../src/index.js'
import { cookieOf, fakeClock, recordingStore, SECRET } from './helpers.js'

type Data = { views?: number; name?: string }
const OTHER = 'another-secret-another-secret-another-0123'

function setup(options: Partial<SessionManagerOptions<Data>> = {}) {
  const clock = fakeClock()
  const store = recordingStore()
  const manager = createSessionManager<Data>({ secret: SECRET, store, clock, ...options })
  return { manager, store, clock }
}

describe('load() with per-request inputs', () => {
  it('signs and verifies with the secret given per request, rotating like the configured list', async () => {
    const { manager } = setup()
    const a = await manager.load({ secret: OTHER })
    a.session.set('views', 1)
    const cookie = cookieOf((await a.commit()).setCookie[0])
    // The configured secret does not verify it; the per-request one does; a rotation list re-signs with the first.
    expect((await manager.load({ cookie })).session.isNew).toBe(true)
    expect((await manager.load({ cookie, secret: OTHER })).session.get('views')).toBe(1)
    const rotated = await manager.load({ cookie, secret: [SECRET, OTHER] })
    expect(rotated.session.get('views')).toBe(1)
    const resigned = cookieOf((await rotated.commit()).setCookie[0])
    expect((await manager.load({ cookie: resigned })).session.get('views')).toBe(1)
  })
  it('validates a per-request secret like the configured one', async () => {
    const { manager } = setup()
    await expect(manager.load({ secret: 'short' })).rejects.toMatchObject({ code: 'SECRET_TOO_SHORT' })
    await expect(manager.load({ secret: undefined as unknown as string })).resolves.toBeDefined()
    await expect(manager.load({ secret: [] })).rejects.toMatchObject({ code: 'SECRET_MISSING' })
  })
  it('applies cookie attributes given per request, validated with the configured ones', async () => {
    const { manager } = setup()
    const h = await manager.load({ attributes: { httpOnly: false, sameSite: 'strict', path: '/app' } })
    h.session.set('views', 1)
    const header = (await h.commit()).setCookie[0]!
    expect(header).toMatch(/Path=\/app/)
    expect(header).toMatch(/SameSite=Strict/)
    expect(header).not.toMatch(/HttpOnly/)
    const plain = await manager.load({})
    plain.session.set('views', 1)
    expect((await plain.commit()).setCookie[0]).toMatch(/Path=\/; .*HttpOnly; SameSite=Lax$/)
    await expect(manager.load({ attributes: { sameSite: 'none', secure: false } })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    })
  })
  it('takes a per-request default lifetime in seconds, fractions included, or a browser-session cookie', async () => {
    const { manager, store } = setup()
    const h = await manager.load({ maxAge: 0.5 })
    h.session.set('views', 1)
    const { setCookie } = await h.commit()
    expect(setCookie[0]).toMatch(/Max-Age=1;/)
    expect([...store.ttls.values()]).toEqual([1])
    const b = await manager.load({ maxAge: null })
    b.session.set('views', 1)
    expect((await b.commit()).setCookie[0]).not.toMatch(/Max-Age|Expires/)
    await expect(manager.load({ maxAge: 1e300 })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' })
  })
})

describe('load({ verifiedId })', () => {
  const stored = async (manager: ReturnType<typeof setup>['manager']) => {
    const h = await manager.load({})
    h.session.set('views', 7)
    await h.commit()
    return h.session.id
  }
  it('reads the record of an id the adapter verified, ignoring the Cookie header', async () => {
    const { manager } = setup()
    const id = await stored(manager)
    const h = await manager.load({ verifiedId: id, cookie: 'connect.sid=garbage' })
    expect(h.session.isNew).toBe(false)
    expect(h.session.id).toBe(id)
    expect(h.session.get('views')).toBe(7)
  })
  it('never adopts an id without a record: a fresh session under a new id', async () => {
    const { manager } = setup()
    const h = await manager.load({ verifiedId: 'chosen-by-the-client' })
    expect(h.session.isNew).toBe(true)
    expect(h.session.id).not.toBe('chosen-by-the-client')
  })
  it('signs the id when its cookie is sent again (the id is not a cookie value)', async () => {
    const { manager } = setup({ rolling: true })
    const id = await stored(manager)
    const h = await manager.load({ verifiedId: id })
    const [header] = (await h.commit()).setCookie
    const cookie = cookieOf(header)
    expect(cookie).not.toBe(`sid=${id}`)
    expect(decodeURIComponent(cookie)).toMatch(new RegExp(`=s:${id}\\.[A-Za-z0-9+/]{43}$`))
    // The signed value names the same session when it comes back as a cookie.
    expect((await manager.load({ cookie })).session.get('views')).toBe(7)
  })
})

describe('finish()', () => {
  it('answers synchronously for a read and with a Promise when a write is due', async () => {
    const { manager } = setup()
    const w = await manager.load({})
    w.session.set('views', 1)
    const pending = w.finish()
    expect(pending).toBeInstanceOf(Promise)
    const cookie = cookieOf((await pending).setCookie[0])
    const r = await manager.load({ cookie })
    const now = r.finish()
    expect(now).not.toBeInstanceOf(Promise)
    expect(now).toEqual({ setCookie: [] })
  })
})

describe('lifetime()', () => {
  it('gives originalMaxAge, expires and the remaining maxAge with the injected clock, in ms or s', async () => {
    const { manager, clock } = setup({ idleTimeout: 100, touchAfter: 1000 })
    const h = await manager.load({})
    const start = clock.now()
    expect(h.lifetime({ unit: 'ms' })).toEqual({
      originalMaxAge: 100_000,
      expires: new Date(start + 100_000),
      maxAge: 100_000,
    })
    h.session.set('views', 1)
    const cookie = cookieOf((await h.commit()).setCookie[0])
    clock.advance(40_000)
    const later = await manager.load({ cookie })
    expect(later.lifetime()).toEqual({ originalMaxAge: 100, expires: new Date(start + 100_000), maxAge: 60 })
    later.session.setMaxAge(0.005)
    expect(later.lifetime({ unit: 'ms' }).originalMaxAge).toBe(5)
    later.session.setMaxAge(null)
    expect(later.lifetime()).toEqual({ originalMaxAge: null, expires: null, maxAge: null })
  })
})

describe('propertiesView()', () => {
  class Api {
    readonly cookie = { path: '/' }
    constructor(readonly id: string) {}
    save(): string {
      return 'api'
    }
  }
  const view = propertiesView({ listed: ['cookie'] })
  it('serves the API names from the API object and every other key from the tracked data', async () => {
    const { manager } = setup()
    const h = await manager.load({})
    const s = view(new Api(h.session.id), h.session) as Api & Data & Record<string, unknown>
    s.views = 1
    ;(s.views as number)++
    s.name = 'ada'
    delete s.name
    expect(s.save()).toBe('api')
    expect(s.id).toBe(h.session.id)
    expect('views' in s).toBe(true)
    expect(Object.keys(s)).toEqual(['cookie', 'views'])
    expect(h.session.get('views')).toBe(2)
    expect(h.session.has('name')).toBe(false)
    const cookie = cookieOf((await h.commit()).setCookie[0])
    expect((await manager.load({ cookie })).session.get('views')).toBe(2)
  })
  it('reports a listed key as an own property even when the API builds it lazily', async () => {
    class Lazy {
      built = 0
      get cookie(): { path: string } {
        this.built++
        return { path: '/lazy' }
      }
    }
    const { manager } = setup()
    const h = await manager.load({})
    const api = new Lazy()
    const s = view(api, h.session) as Lazy & Data
    s.views = 1
    expect(JSON.parse(JSON.stringify(s))).toEqual({ cookie: { path: '/lazy' }, views: 1 })
    expect(Object.getOwnPropertyDescriptor(s, 'cookie')).toMatchObject({ value: { path: '/lazy' }, enumerable: true })
    expect(api.built).toBeGreaterThan(0)
  })
  it('a primitive set to the value it holds is no change: nothing is written', async () => {
    const { manager, store } = setup()
    const first = await manager.load({})
    first.session.set('views', 3)
    const cookie = cookieOf((await first.commit()).setCookie[0])
    const h = await manager.load({ cookie })
    const s = view(new Api(h.session.id), h.session) as Api & Data
    store.calls.length = 0
    s.views = 3
    h.session.set('views', 3)
    expect(h.session.isModified()).toBe(false)
    await h.commit()
    expect(store.calls).toEqual([])
    // A different value, or a different type, is a change.
    const again = await manager.load({ cookie })
    ;(view(new Api(again.session.id), again.session) as Api & Record<string, unknown>).views = '3'
    expect(again.session.isModified()).toBe(true)
  })
  it("throws ALREADY_COMMITTED on a late write by default; with afterCommit: 'ignore' drops and reports it", async () => {
    const { manager } = setup()
    const strict = await manager.load({})
    const s = view(new Api(strict.session.id), strict.session) as Api & Data
    await strict.commit()
    expect(() => {
      s.views = 1
    }).toThrow(expect.objectContaining({ code: 'ALREADY_COMMITTED' }))

    const ignored: [object, string][] = []
    const lenient = propertiesView({
      afterCommit: 'ignore',
      onIgnored: (api, operation) => ignored.push([api, operation]),
    })
    const h = await manager.load({})
    h.session.set('name', 'ada')
    const api = new Api(h.session.id)
    const v = lenient(api, h.session) as Api & Data
    v.views = 1
    await h.commit()
    v.views = 2
    delete v.name
    Object.defineProperty(v, 'views', { value: 5 })
    expect(ignored).toEqual([
      [api, 'set'],
      [api, 'delete'],
      [api, 'set'],
    ])
    expect(h.session.get('views')).toBe(1)
    expect(h.session.get('name')).toBe('ada')
    // A throwing observer does not turn the ignored write into an error.
    const throwing = propertiesView({
      afterCommit: 'ignore',
      onIgnored: () => {
        throw new Error('observer')
      },
    })
    const t = throwing(new Api(h.session.id), h.session) as Api & Data
    expect(() => {
      t.views = 3
    }).not.toThrow()
  })
  it('finds the session where the adapter keeps it with sessionOf, defining nothing on the API object', async () => {
    const manager = createSessionManager<Data>({ secret: SECRET, store: recordingStore() })
    const h = await manager.load({})
    const sessions = new WeakMap<object, typeof h.session>()
    const kept = propertiesView({ sessionOf: (api) => sessions.get(api)! })
    const api = new Api(h.session.id)
    sessions.set(api, h.session)
    const v = kept(api, h.session) as Api & Data
    v.views = 3
    expect(h.session.get('views')).toBe(3)
    expect(v.views).toBe(3)
    expect(Object.getOwnPropertySymbols(api)).toEqual([])
    // Without sessionOf the view keeps the session on the API object itself.
    const own = new Api(h.session.id)
    propertiesView()(own, h.session)
    expect(Object.getOwnPropertySymbols(own)).toHaveLength(1)
  })
})
