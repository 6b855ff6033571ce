import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The Worker on the real workerd, served by Miniflare with a Workers KV namespace, as `wrangler dev` runs it: the
// bundle is built from wrangler.jsonc's `main` with esbuild and the settings are wrangler.jsonc's. Requests go over
// real HTTP; the test reads the KV namespace directly to see where the sessions are. Run by scripts/runtimes/run.mjs
// under Node 24 with SESS_WORKERD_DIR pointing at the runtimes cache (Miniflare 5 wants Node 22+).

const workerdDir = process.env.SESS_WORKERD_DIR
if (!workerdDir) throw new Error('SESS_WORKERD_DIR is not set: run `pnpm test:runtimes` (scripts/runtimes/run.mjs)')

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECRET = 'hono-workers-workerd-test-secret-0123456789'

interface WranglerConfig {
  name: string
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
  kv_namespaces: Array<{ binding: string; id?: string }>
}

/** The KV namespace API the test uses, from Miniflare's `getKVNamespace`. */
interface KV {
  get(key: string): Promise<string | null>
  delete(key: string): Promise<void>
  list(options: { prefix: string }): Promise<{ keys: Array<{ name: string }> }>
}

interface Miniflare {
  ready: Promise<URL>
  getKVNamespace(binding: string): Promise<KV>
  dispose(): Promise<void>
}

// wrangler.jsonc holds whole-line comments only, so dropping them leaves JSON.
const config = JSON.parse(
  readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
) as WranglerConfig
const binding = config.kv_namespaces[0]?.binding ?? 'SESSIONS'

const tmp = mkdtempSync(join(tmpdir(), 'sess-hono-workers-'))
const scriptPath = join(tmp, 'worker.mjs')
let miniflare: Miniflare
let origin: string
let kv: KV

/** Starts workerd; KV lives under `tmp/persist`, so it outlives the process like a real namespace. */
async function start(secret = SECRET): Promise<void> {
  const module = await import(
    pathToFileURL(join(workerdDir as string, 'node_modules/miniflare/dist/src/index.js')).href
  )
  const options = {
    host: '127.0.0.1',
    port: 0,
    resourcePersistencePath: join(tmp, 'persist'),
    workers: [
      {
        name: config.name,
        modules: true,
        modulesRoot: tmp,
        scriptPath,
        compatibilityDate: config.compatibility_date,
        compatibilityFlags: config.compatibility_flags ?? [],
        kvNamespaces: Object.fromEntries(config.kv_namespaces.map((ns) => [ns.binding, ns.id ?? ns.binding])),
        bindings: { SESSION_SECRET: secret },
      },
    ],
  }
  miniflare = new module.Miniflare(module.convertV4MiniflareOptions?.(options) ?? options) as Miniflare
  origin = (await miniflare.ready).origin
  kv = await miniflare.getKVNamespace(binding)
}

beforeAll(async () => {
  // As wrangler bundles it: one ES module, `cloudflare:*` left to the runtime.
  await build({
    entryPoints: [join(ROOT, config.main)],
    outfile: scriptPath,
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    logLevel: 'error',
  })
  await start()
})
afterAll(async () => {
  await miniflare?.dispose()
  rmSync(tmp, { recursive: true, force: true })
})

/** A browser's cookie jar for the session cookie; `cookie` can be replayed by hand. */
const jar = { cookie: '' }
async function request(method: string, path: string, cookie = jar.cookie) {
  const response = await fetch(origin + path, { method, headers: cookie ? { cookie } : {} })
  const text = await response.text()
  expect(response.status, `${method} ${path}: ${text}`).toBe(200)
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('sid='))
  if (setCookie) jar.cookie = /Max-Age=0/.test(setCookie) ? '' : (setCookie.split(';')[0] as string)
  return { body: JSON.parse(text) as Record<string, unknown>, setCookie }
}

/** The session id inside a signed cookie `sid=s%3A<id>.<signature>`. */
const idOf = (cookie: string): string =>
  decodeURIComponent(cookie.slice('sid='.length)).slice('s:'.length).split('.')[0] as string
const keys = async (): Promise<string[]> => (await kv.list({ prefix: 'sess:' })).keys.map((k) => k.name).sort()
const record = async (id: string) =>
  JSON.parse((await kv.get(`sess:${id}`)) ?? 'null') as { r: { data: object } } | null

describe('hono-workers on workerd (Miniflare), sessions in Workers KV', () => {
  let first: string

  it('creates a session in KV, with a signed cookie (HttpOnly, SameSite=Lax, no Secure over http)', async () => {
    const { body, setCookie } = await request('GET', '/')
    expect(body).toEqual({ views: 1 })
    expect(setCookie).toMatch(/^sid=s%3A[\w-]+\.[\w%-]+; Max-Age=86400; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/)
    first = jar.cookie
    expect(await keys()).toEqual([`sess:${idOf(first)}`])
    expect((await record(idOf(first)))?.r.data).toEqual({ views: 1 })
  })

  it('reads it back from KV on later requests', async () => {
    expect((await request('GET', '/')).body).toEqual({ views: 2 })
    expect((await request('GET', '/me')).body).toEqual({ user: null, views: 2 })
    expect((await record(idOf(first)))?.r.data).toEqual({ views: 2 })
  })

  it('keeps it across a workerd restart, under the SESSION_SECRET binding it was signed with only', async () => {
    await miniflare.dispose()
    await start(`${SECRET}-another`)
    expect((await request('GET', '/me', first)).body).toEqual({ user: null, views: 0 })
    await miniflare.dispose()
    await start()
    expect((await request('GET', '/me', first)).body).toEqual({ user: null, views: 2 })
  })

  it('reads KV on every request: deleting the record behind the Worker’s back ends the session', async () => {
    const { setCookie } = await request('GET', '/', '')
    const victim = setCookie?.split(';')[0] as string
    expect((await request('GET', '/me', victim)).body).toEqual({ user: null, views: 1 })
    await kv.delete(`sess:${idOf(victim)}`)
    expect((await request('GET', '/me', victim)).body).toEqual({ user: null, views: 0 })
    jar.cookie = first
  })

  it('login regenerates: a new id in KV, the old record deleted, the old cookie no longer works', async () => {
    expect((await request('POST', '/login?user=alice')).body).toEqual({ user: 'alice' })
    const loggedIn = jar.cookie
    expect(idOf(loggedIn)).not.toBe(idOf(first))
    expect(await record(idOf(first))).toBeNull()
    expect((await record(idOf(loggedIn)))?.r.data).toEqual({ views: 2, user: 'alice' })
    expect((await request('GET', '/me', first)).body).toEqual({ user: null, views: 0 })
    expect((await request('GET', '/me', loggedIn)).body).toEqual({ user: 'alice', views: 2 })
  })

  it('logout destroys: the record leaves KV and the cookie is cleared', async () => {
    const loggedIn = jar.cookie
    const { setCookie } = await request('POST', '/logout')
    expect(setCookie).toMatch(/^sid=; Max-Age=0;/)
    expect(await record(idOf(loggedIn))).toBeNull()
    expect((await request('GET', '/me', loggedIn)).body).toEqual({ user: null, views: 0 })
  })

  it('gives a fresh session for a tampered or truncated cookie, and writes nothing to KV', async () => {
    await request('POST', '/login?user=mallory')
    const genuine = jar.cookie
    const before = await keys()
    const flipped = genuine.replace(/\.(.)/, (_, c: string) => `.${c === 'A' ? 'B' : 'A'}`)
    const otherId = genuine.replace(/^(sid=s%3A)(.)/, (_, p: string, c: string) => p + (c === 'a' ? 'b' : 'a'))
    for (const forged of [flipped, otherId, genuine.slice(0, -5), 'sid=s%3A', `sid=${'x'.repeat(3000)}`]) {
      expect((await request('GET', '/me', forged)).body, forged).toEqual({ user: null, views: 0 })
    }
    expect(await keys()).toEqual(before)
  })
})
