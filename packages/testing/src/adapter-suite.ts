import type { AddressInfo } from 'node:net'
import type { RequestListener } from 'node:http'
import { createServer } from 'node:http'
import type { PatchResult, SessionPatch, Store, StoredSession } from '@sess/core'
import { applyPatch } from '@sess/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

/**
 * What the suite hands a harness. The harness builds the framework's app with the adapter configured on exactly
 * these, plus new-API defaults: `saveUninitialized: false`, no `rolling`, no forced resave, default cookie
 * attributes (`HttpOnly; SameSite=Lax; Path=/`, Secure only over HTTPS).
 */
export interface AdapterHarnessSetup {
  /** The store to use: the suite reads its records and makes it fail or hang. */
  store: ControlledStore
  /** A 32+ character secret. */
  secret: string
  /** Store timeout in seconds (core's unit; convert if the adapter's option differs). */
  storeTimeout: number
}

/**
 * A running server of the framework under test. Its app implements this route contract:
 *
 * | route | does | answers |
 * |---|---|---|
 * | `GET /get?key=k` | reads `k` | `200 {"id": session id, "value": value or null}` |
 * | `POST /set?key=k&value=v[&delay=ms]` | waits `delay` ms after the session loaded, then sets `k` to the string `v` | `200 {"id"}` |
 * | `POST /regenerate` | regenerates the session (data not kept) | `200 {"id": the new id}` |
 * | `POST /destroy` | destroys the session | `200 {}` |
 * | `GET /untouched` | never touches the session | `200 "ok"` |
 * | `GET /with-own-cookie` | sets the app's own cookie `app=1; Path=/` through the framework's API, then sets `own` to `"yes"` | `200 "ok"` |
 *
 * Errors reach the framework's error channel, where the harness answers `500 {"code": error.code}`.
 */
export interface AdapterHarness {
  /** `fetch` against the running server; `path` starts with `/`. */
  request(path: string, init?: RequestInit): Promise<Response>
  /** The session cookie's name. */
  cookieName: string
  /** Stops the server. */
  close(): Promise<void>
}

/** Builds and starts the framework's app for one suite run. */
export type MakeAdapterHarness = (setup: AdapterHarnessSetup) => Promise<AdapterHarness>

/** A Map-backed store with patch and touch whose failures the suite controls. */
export interface ControlledStore extends Store {
  /** Live records by id (JSON copies). */
  readonly records: Map<string, StoredSession>
  /** Every call, in order (`get`, `set`, `patch`, `touch`, `destroy`). */
  readonly calls: string[]
  /** `'ok'` answers; `'fail'` rejects every call; `'hang'` never settles. */
  mode: 'ok' | 'fail' | 'hang'
}

/** Creates the store the suite hands each harness. */
export function controlledStore(): ControlledStore {
  const records = new Map<string, StoredSession>()
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
  const store: ControlledStore = {
    records,
    calls: [],
    mode: 'ok',
    get: (id) => run('get', () => copy(records.get(id) ?? null)),
    set: (id, session) => run('set', () => void records.set(id, copy(session))),
    destroy: (id) => run('destroy', () => void records.delete(id)),
    touch: (id, expiresAt) =>
      run('touch', () => {
        const record = records.get(id)
        if (record) record.expiresAt = expiresAt
      }),
    patch: (id: string, patch: SessionPatch): Promise<PatchResult> =>
      run('patch', () => {
        const record = records.get(id)
        if (!record) return 'missing'
        return applyPatch(record, copy(patch))
      }),
  }
  function run<T>(operation: string, body: () => T): Promise<T> {
    store.calls.push(operation)
    if (store.mode === 'hang') return new Promise<T>(() => {})
    if (store.mode === 'fail') return Promise.reject(new Error(`controlled store: ${operation} failed`))
    return Promise.resolve().then(body)
  }
  return store
}

/**
 * Serves a Node request listener (Express app, `@hono/node-server`'s `getRequestListener`, ...) on a free loopback
 * port, for harnesses of frameworks without their own listen.
 */
export async function listenOnLoopback(
  listener: RequestListener,
): Promise<Pick<AdapterHarness, 'request' | 'close'> & { origin: string }> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    request: (path, init) => fetch(origin + path, init),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** The `name=value` pair of the cookie `name` among a response's `Set-Cookie` headers. */
export function cookiePair(response: Response, name: string): string | undefined {
  const header = setCookiesOf(response, name)[0]
  return header?.split(';')[0]
}

function setCookiesOf(response: Response, name: string): string[] {
  return response.headers.getSetCookie().filter((value) => value.startsWith(`${name}=`))
}

/**
 * Registers the shared adapter conformance suite: the lifecycle rules of DESIGN.md §3 checked through a real HTTP
 * server of the framework, so every adapter inherits them from core and none re-implements them.
 */
export function describeAdapterConformance(name: string, makeHarness: MakeAdapterHarness): void {
  describe(`${name} adapter conformance`, () => {
    const store = controlledStore()
    let harness: AdapterHarness
    let cookieName: string

    beforeAll(async () => {
      harness = await makeHarness({ store, secret: 'adapter-suite-secret-0123456789abcdef', storeTimeout: 0.3 })
      cookieName = harness.cookieName
    })
    afterAll(() => harness?.close())
    afterEach(() => {
      store.mode = 'ok'
      store.calls.length = 0
    })

    const request = (path: string, cookie?: string, method = 'GET'): Promise<Response> =>
      harness.request(path, { method, headers: cookie === undefined ? {} : { cookie } })
    const json = async (response: Response): Promise<{ id: string; value?: unknown; code?: string }> => {
      expect(response.status).toBe(200)
      return (await response.json()) as { id: string; value?: unknown }
    }
    /** Starts a session holding `key=value`; returns its cookie pair and id. */
    const start = async (key = 'a', value = '1'): Promise<{ cookie: string; id: string }> => {
      const response = await request(`/set?key=${key}&value=${value}`, undefined, 'POST')
      const cookie = cookiePair(response, cookieName)
      expect(cookie).toBeDefined()
      return { cookie: cookie as string, id: (await json(response)).id }
    }

    describe('untouched and read-only requests', () => {
      it('sends no Set-Cookie and calls no store for a request without a cookie', async () => {
        for (const path of ['/untouched', '/get?key=a']) {
          const response = await request(path)
          expect(response.status).toBe(200)
          expect(setCookiesOf(response, cookieName)).toEqual([])
        }
        expect(store.calls).toEqual([])
      })

      it('reads an existing session with one store call and writes nothing', async () => {
        const { cookie } = await start()
        store.calls.length = 0
        const response = await request('/get?key=a', cookie)
        expect((await json(response)).value).toBe('1')
        expect(store.calls).toHaveLength(1)
        expect(store.calls[0]).toMatch(/^get/)
      })
    })

    describe('set and read back', () => {
      it('stores a value and reads it back with the cookie', async () => {
        const { cookie, id } = await start('color', 'blue')
        const read = await json(await request('/get?key=color', cookie))
        expect(read).toEqual({ id, value: 'blue' })
        expect(store.records.get(id)?.data).toEqual({ color: 'blue' })
      })

      it('sets HttpOnly, SameSite=Lax and Path=/, and no Secure over plain http', async () => {
        const response = await request('/set?key=a&value=1', undefined, 'POST')
        const header = setCookiesOf(response, cookieName)[0] ?? ''
        const attributes = header.split(/;\s*/).map((a) => a.toLowerCase())
        expect(attributes).toContain('httponly')
        expect(attributes).toContain('samesite=lax')
        expect(attributes).toContain('path=/')
        expect(attributes).not.toContain('secure')
      })

      it("keeps the app's own Set-Cookie headers next to the session cookie", async () => {
        const response = await request('/with-own-cookie')
        expect(response.status).toBe(200)
        const cookies = response.headers.getSetCookie()
        expect(cookies.some((c) => c.startsWith('app=1'))).toBe(true)
        expect(cookies.some((c) => c.startsWith(`${cookieName}=`))).toBe(true)
      })
    })

    describe('regenerate and destroy', () => {
      it('regenerate issues a new id, deletes the old record, and the old cookie stops working', async () => {
        const { cookie, id } = await start()
        const response = await request('/regenerate', cookie, 'POST')
        const fresh = cookiePair(response, cookieName)
        const { id: newId } = await json(response)
        expect(newId).not.toBe(id)
        expect(fresh).toBeDefined()
        expect(fresh).not.toBe(cookie)
        expect(store.records.has(id)).toBe(false)
        const stale = await json(await request('/get?key=a', cookie))
        expect(stale.value).toBeNull()
        expect(stale.id).not.toBe(id)
      })

      it('destroy removes the record and sends an expiring cookie', async () => {
        const { cookie, id } = await start()
        const response = await request('/destroy', cookie, 'POST')
        expect(response.status).toBe(200)
        expect(store.records.has(id)).toBe(false)
        const header = setCookiesOf(response, cookieName)[0] ?? ''
        expect(header).toMatch(/max-age=0|expires=thu, 01 jan 1970/i)
        expect((await json(await request('/get?key=a', cookie))).value).toBeNull()
      })

      it('an expired record gives a fresh session', async () => {
        const { cookie, id } = await start()
        const record = store.records.get(id) as StoredSession
        record.expiresAt = Date.now() - 1000
        const read = await json(await request('/get?key=a', cookie))
        expect(read.value).toBeNull()
        expect(read.id).not.toBe(id)
      })
    })

    describe('untrusted cookies', () => {
      const hostile = (): Array<[string, (valid: string) => string]> => [
        ['a tampered signature', (valid) => valid.slice(0, -2) + (valid.endsWith('AA') ? 'BB' : 'AA')],
        ['an unsigned id', (valid) => valid.slice(0, valid.lastIndexOf('.'))],
        ['garbage', () => `${cookieName}=%%%;;;\u00ff`],
        ['an 8 KB value', () => `${cookieName}=s%3A${'a'.repeat(8192)}.sig`],
        ['a malformed header', () => `=;; ${cookieName}; ${cookieName}==; =x; ;`],
        ['a broken percent-encoding', () => `${cookieName}=s%3Aabc%E0%A4%A.x`],
      ]
      for (const [label, forge] of hostile()) {
        it(`gives a fresh session, never a 500, for ${label}`, async () => {
          const { cookie, id } = await start()
          const response = await request('/get?key=a', forge(cookie))
          const read = await json(response)
          expect(read.value).toBeNull()
          expect(read.id).not.toBe(id)
        })
      }
    })

    describe('store failures', () => {
      it("surfaces a failing store as a 500 through the framework's error path", async () => {
        const { cookie } = await start()
        store.mode = 'fail'
        const read = await request('/get?key=a', cookie)
        expect(read.status).toBe(500)
        expect(await read.json()).toEqual({ code: 'STORE_FAILURE' })
        const write = await request('/set?key=b&value=2', undefined, 'POST')
        expect(write.status).toBe(500)
        expect(setCookiesOf(write, cookieName)).toEqual([])
      })

      it('fails a request on a hanging store within the configured timeout', async () => {
        const { cookie } = await start()
        store.mode = 'hang'
        const started = Date.now()
        const response = await request('/get?key=a', cookie)
        expect(response.status).toBe(500)
        expect(await response.json()).toEqual({ code: 'STORE_TIMEOUT' })
        expect(Date.now() - started).toBeLessThan(3000)
      })
    })

    describe('concurrency', () => {
      it('keeps both changes of two overlapping requests that modify different keys', async () => {
        const { cookie, id } = await start('base', '0')
        const slow = request('/set?key=left&value=L&delay=150', cookie, 'POST')
        const fast = request('/set?key=right&value=R', cookie, 'POST')
        expect((await Promise.all([slow, fast])).map((r) => r.status)).toEqual([200, 200])
        expect(store.records.get(id)?.data).toEqual({ base: '0', left: 'L', right: 'R' })
        expect((await json(await request('/get?key=left', cookie))).value).toBe('L')
        expect((await json(await request('/get?key=right', cookie))).value).toBe('R')
      })
    })
  })
}
