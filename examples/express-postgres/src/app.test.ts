import { randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { integrationGate } from '@sess/testing'
import { postgresStore } from '@sess/store-postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'

const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const probe = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
const unavailable = await probe.connect().then(
  () => undefined,
  (error: Error) => `PostgreSQL at PG_URL did not answer (${error.message})`,
)
await probe.end().catch(() => {})
// Skips without PostgreSQL locally; with CI=true a missing server fails the file.
const gate = integrationGate('PostgreSQL', unavailable)

describe.skipIf(gate.skip)(gate.title('express-postgres'), () => {
  const schema = `sess_example_${randomUUID().replaceAll('-', '')}`
  let pool: pg.Pool
  let server: Server
  let origin: string
  const rows = async (where = 'true', params: unknown[] = []): Promise<number> =>
    Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".sess_sessions WHERE ${where}`, params)).rows[0].n)

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 4 })
    pool.on('error', () => {})
    const store = postgresStore({ client: pool, schema })
    await store.ensureSchema()
    server = await new Promise<Server>((resolve) => {
      const s = createApp(store).listen(0, '127.0.0.1', () => resolve(s))
    })
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server?.closeAllConnections()
    server?.close()
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool?.end()
  })

  /** A browser's cookie handling, just enough for one session cookie. */
  function browser(): (path: string, method?: string) => Promise<{ status: number; text: string }> {
    let cookie = ''
    return async (path, method = 'GET') => {
      const response = await fetch(origin + path, { method, headers: cookie ? { cookie } : {} })
      for (const value of response.headers.getSetCookie()) {
        const pair = value.split(';')[0]!
        if (pair.startsWith('connect.sid=')) cookie = /Max-Age=0/.test(value) || pair === 'connect.sid=' ? '' : pair
      }
      return { status: response.status, text: await response.text() }
    }
  }

  it('counts views per session, one row per session', async () => {
    const before = await rows()
    const visit = browser()
    expect((await visit('/')).text).toBe('Views: 1')
    expect((await visit('/')).text).toBe('Views: 2')
    expect((await browser()('/')).text).toBe('Views: 1')
    expect(await rows()).toBe(before + 2)
    expect(await rows(`(data->>'views')::int = 2`)).toBe(1)
  })

  it('logs in, reads back, and logs out', async () => {
    const visit = browser()
    expect((await visit('/me')).text).toBe('User: none')
    expect((await visit('/login?user=ada', 'POST')).text).toBe('Logged in as ada')
    expect((await visit('/me')).text).toBe('User: ada')
    expect(await rows(`user_id = 'ada' AND data->>'user' = 'ada'`)).toBe(1)
    expect((await visit('/logout', 'POST')).text).toBe('Logged out')
    expect((await visit('/me')).text).toBe('User: none')
    expect(await rows(`user_id = 'ada'`)).toBe(0)
  })

  it('lists a user’s devices with when they were last seen, and signs out everywhere else', async () => {
    const user = `grace-${randomUUID()}`
    const [laptop, phone] = [browser(), browser()]
    const started = Date.now()
    await laptop(`/login?user=${user}`, 'POST')
    await phone(`/login?user=${user}`, 'POST')
    const devices = JSON.parse((await laptop('/devices')).text) as Array<{ current: boolean; lastSeen: string }>
    expect(devices.map((d) => d.current).sort()).toEqual([false, true])
    for (const d of devices) expect(Date.parse(d.lastSeen)).toBeGreaterThanOrEqual(started - 1000)
    expect((await laptop('/logout-everywhere-else', 'POST')).text).toBe('Signed out 1 other session(s)')
    expect((await phone('/me')).text).toBe('User: none')
    expect((await laptop('/me')).text).toBe(`User: ${user}`)
    expect(await rows('user_id = $1', [user])).toBe(1)
  })
})
