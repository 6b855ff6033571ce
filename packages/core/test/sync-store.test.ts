import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PatchResult, SessionEvent, SessionPatch, SessionRecord, Store } from '../src/index.js'
import { applyPatch, createSessionManager, touchedExpiresAt } from '../src/index.js'
import { cookieOf, fakeClock, SECRET } from './helpers.js'

/** An in-process store whose methods answer synchronously, as @sess/store-memory's do. */
function syncStore() {
  const records = new Map<string, string>()
  const calls: string[] = []
  const read = (id: string): SessionRecord | null => {
    const raw = records.get(id)
    return raw === undefined ? null : (JSON.parse(raw) as SessionRecord)
  }
  const fail = new Set<string>()
  const check = (op: string): void => {
    calls.push(op)
    if (fail.has(op)) throw new Error(`${op} is down`)
  }
  const store = {
    get(id: string) {
      check('get')
      return read(id)
    },
    getAndTouch(id: string, policy: Parameters<NonNullable<Store['getAndTouch']>>[1]) {
      check('getAndTouch')
      const r = read(id)
      if (r === null) return null
      const next = touchedExpiresAt(r, policy)
      if (next === undefined) return { session: r, touched: false }
      r.expiresAt = next
      records.set(id, JSON.stringify(r))
      return { session: r, touched: true }
    },
    set(id: string, record: SessionRecord) {
      check('set')
      records.set(id, JSON.stringify(record))
    },
    patch(id: string, patch: SessionPatch): PatchResult {
      check('patch')
      const r = read(id)
      if (r === null) return 'missing'
      const result = applyPatch(r, patch)
      if (result === 'ok') records.set(id, JSON.stringify(r))
      return result
    },
    destroy(id: string) {
      check('destroy')
      records.delete(id)
    },
  } satisfies Store
  return { store, records, calls, fail, read }
}

function setup(options: { failOpen?: boolean; strict?: boolean } = {}) {
  const s = syncStore()
  const events: SessionEvent[] = []
  const manager = createSessionManager<{ n?: number }>({
    secret: SECRET,
    store: s.store,
    clock: fakeClock(),
    onEvent: (e) => events.push(e),
    ...options,
  })
  return { ...s, manager, events }
}

/** A manager on a fresh in-process store whose every answer is a Promise. */
function asyncManager() {
  const { store } = syncStore()
  const promised: Store = {
    get: async (id) => store.get(id),
    set: async (id, r) => store.set(id, r),
    destroy: async (id) => store.destroy(id),
  }
  return createSessionManager<{ n?: number }>({ secret: SECRET, store: promised, clock: fakeClock() })
}

/** A first request that stores `n: 1`, through the ordinary (asynchronous) commit; returns the cookie to send back. */
async function created(manager: ReturnType<typeof setup>['manager']): Promise<string> {
  const handle = await manager.load({})
  handle.session.set('n', 1)
  return cookieOf((await handle.commit()).setCookie[0])
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('a store that answers synchronously', () => {
  it('is read and written without waiting: finish() returns the result itself, the record already written', async () => {
    const { manager, read, calls } = setup()
    const cookie = await created(manager)
    const handle = await manager.load({ cookie })
    expect(handle.session.get('n')).toBe(1)
    handle.session.set('n', 2)
    const result = handle.finish()
    expect(result).not.toBeInstanceOf(Promise)
    expect(read(handle.session.id)?.data).toEqual({ n: 2 })
    expect(calls).toEqual(['set', 'getAndTouch', 'patch'])
    // The same session: any cookie sent carries the same signed id.
    for (const header of (result as { setCookie: string[] }).setCookie) expect(cookieOf(header)).toBe(cookie)
  })

  it('opens synchronously: open() gives the handle itself, a Promise only when a step must wait', async () => {
    const { manager, calls } = setup()
    const cookie = await created(manager)
    // Verified once through Web Crypto (asynchronous): from then on the verification is cached.
    const first = manager.open({ cookie })
    expect(first).toBeInstanceOf(Promise)
    await first
    const opened = manager.open({ cookie })
    expect(opened).not.toBeInstanceOf(Promise)
    const handle = opened as Exclude<typeof opened, Promise<unknown>>
    expect(handle.session.get('n')).toBe(1)
    expect(calls.at(-1)).toBe('getAndTouch')

    // An asynchronous store: the same call gives a Promise of an equivalent handle.
    const other = asyncManager()
    const later = await created(other)
    await other.load({ cookie: later })
    const pending = other.open({ cookie: later })
    expect(pending).toBeInstanceOf(Promise)
    expect((await pending).session.get('n')).toBe(1)
  })

  it('hands a failed open back as a rejected Promise, never as a throw', async () => {
    const { manager, fail } = setup()
    const cookie = await created(manager)
    fail.add('getAndTouch')
    let opened: unknown
    expect(() => {
      opened = manager.open({ cookie })
    }).not.toThrow()
    await expect(opened).rejects.toMatchObject({ name: 'SessionStoreError', operation: 'getAndTouch' })
    let invalid: unknown
    expect(() => {
      invalid = manager.open({ maxAge: -1 })
    }).not.toThrow()
    await expect(invalid).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' })
  })

  it('arms no store-timeout timer, where an asynchronous store does', async () => {
    const sync = setup()
    const cookie = await created(sync.manager)
    // Installed after the first request: the bound's shared timer was armed with another setTimeout, so the next
    // bounded call arms one through this spy.
    const timers = vi.spyOn(globalThis, 'setTimeout')
    const handle = await sync.manager.load({ cookie })
    handle.session.set('n', 2)
    handle.finish()
    expect(timers).not.toHaveBeenCalled()

    // The same requests on a store whose answers are Promises: each call is bounded by a timer.
    const manager = asyncManager()
    const first = await manager.load({})
    first.session.set('n', 1)
    await first.commit()
    expect(timers).toHaveBeenCalled()
  })

  it('reports a throwing read as a store failure: the load rejects, or gives a fresh session with failOpen', async () => {
    const strict = setup()
    const cookie = await created(strict.manager)
    strict.fail.add('getAndTouch')
    await expect(strict.manager.load({ cookie })).rejects.toMatchObject({
      name: 'SessionStoreError',
      code: 'STORE_FAILURE',
      operation: 'getAndTouch',
    })

    const open = setup({ failOpen: true })
    const again = await created(open.manager)
    open.fail.add('getAndTouch')
    const handle = await open.manager.load({ cookie: again })
    expect(handle.session.isNew).toBe(true)
    expect(open.events.map((e) => e.type)).toContain('store-error')
  })

  it('hands a failed write back as a rejected Promise from finish(), never as a throw', async () => {
    const { manager, fail } = setup()
    const cookie = await created(manager)
    fail.add('patch')
    const handle = await manager.load({ cookie })
    handle.session.set('n', 2)
    let result: unknown
    expect(() => {
      result = handle.finish()
    }).not.toThrow()
    expect(result).toBeInstanceOf(Promise)
    await expect(result).rejects.toMatchObject({ code: 'STORE_FAILURE', operation: 'patch' })
  })

  it('reports a conflicting strict-mode patch as SESSION_CONFLICT, and a missing record by expiring the cookie', async () => {
    const { manager, records } = setup({ strict: true })
    const cookie = await created(manager)
    const a = await manager.load({ cookie })
    const b = await manager.load({ cookie })
    a.session.set('n', 2)
    expect(a.finish()).not.toBeInstanceOf(Promise)
    b.session.set('n', 3)
    await expect(b.finish()).rejects.toMatchObject({ code: 'SESSION_CONFLICT' })

    const c = await manager.load({ cookie })
    records.clear()
    c.session.set('n', 4)
    const result = c.finish() as { setCookie: string[] }
    expect(result).not.toBeInstanceOf(Promise)
    expect(result.setCookie[0]).toMatch(/^sid=; Max-Age=0/)
  })
})
