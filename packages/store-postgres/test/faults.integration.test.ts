import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { JsonReply } from '@sess/testing'
import { untilOk } from '@sess/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresStore } from '../src/index.js'
import { startExpressApp } from './helpers/express-app.js'
import type { TestClient } from './helpers/pg.js'
import { CLIENT_KINDS, connect, createTestSchema, pgGate } from './helpers/pg.js'

const STORE_TIMEOUT_MS = 2000
/** How long past storeTimeout a failing request may take (HTTP and scheduling on a busy 2-core machine). */
const SLACK_MS = 1000
const USERS = 6
const LOAD_MS = 3000

describe.skipIf(pgGate.skip)(pgGate.title('PostgreSQL connections killed under load'), () => {
  let admin: TestClient
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined
  const rejections: unknown[] = []
  const onRejection = (reason: unknown): void => void rejections.push(reason)
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection)
    admin = connect('pg', { max: 1 })
    schema = await createTestSchema(admin)
  })
  afterAll(async () => {
    process.off('unhandledRejection', onRejection)
    await schema?.drop()
    await admin.close()
    expect(rejections).toEqual([])
  })

  for (const kind of CLIENT_KINDS) {
    it(`${kind}: bounded errors while the store's connections are terminated, recovery without a restart, no acknowledged write lost`, async () => {
      const applicationName = `sess-faults-${randomUUID()}`
      const tc = connect(kind, { max: 4, applicationName })
      const store = postgresStore({ client: tc.client, schema: schema!.name, table: `faults_${kind.replace('.', '')}` })
      await store.ensureSchema()
      const app = await startExpressApp(store, { storeTimeout: STORE_TIMEOUT_MS })
      try {
        // Each user writes an increasing counter, one request after another; we remember what was acknowledged.
        const users = await Promise.all(
          Array.from({ length: USERS }, async () => (await app.request('/set?n=0')).cookie!),
        )
        const acknowledged = users.map(() => 0)
        const attempted = users.map(() => [0])
        const failures: JsonReply[] = []
        let requests = 0
        const until = Date.now() + LOAD_MS
        const load = users.map(async (cookie, u) => {
          for (let n = 1; Date.now() < until; n++) {
            attempted[u]!.push(n)
            const reply = await app.request(`/set?n=${n}`, cookie)
            requests++
            if (reply.status === 200) acknowledged[u] = n
            else failures.push(reply)
          }
        })
        let killed = 0
        const killer = (async () => {
          for (const at of [500, 1500, 2500]) {
            await sleep(at - (at === 500 ? 0 : 1000))
            const rows = await admin.query(
              'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
              [applicationName],
            )
            killed += Number(rows[0]?.n)
          }
        })()
        await Promise.all([...load, killer])

        expect(killed, 'the test terminated some of the store’s connections').toBeGreaterThan(0)
        for (const failure of failures) {
          expect(failure.status).toBe(503)
          expect(['STORE_FAILURE', 'STORE_TIMEOUT']).toContain(failure.body.code)
          expect(failure.ms).toBeLessThan(STORE_TIMEOUT_MS + SLACK_MS)
        }
        // The same app and client serve again, and every acknowledged write is there (a failed one may have landed too).
        const recovering = Date.now()
        for (const [u, cookie] of users.entries()) {
          const reply = await untilOk(() => app.request('/', cookie), 5000)
          expect(reply.status).toBe(200)
          const stored = Number(reply.body.data?.n)
          expect(stored).toBeGreaterThanOrEqual(acknowledged[u]!)
          expect(attempted[u]).toContain(stored)
        }
        console.log(
          `${kind}: ${killed} connections terminated during ${requests} requests; ${failures.length} failed ` +
            `(${[...new Set(failures.map((f) => f.body.code))].join(', ') || 'none'}), slowest ${Math.max(0, ...failures.map((f) => f.ms))} ms; ` +
            `every user read back ${Date.now() - recovering} ms after the load`,
        )
      } finally {
        await app.close()
        await tc.close()
      }
    })
  }
})
