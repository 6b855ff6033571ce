import { createSessionManager } from '@sess/core'
import type { MeasureRequest } from '@sess/testing'
import { fakeClock, requestCostScenario } from '@sess/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresStore } from '../src/index.js'
import { countStatements } from './helpers/counting.js'
import { SECRET } from './helpers/express-app.js'
import type { TestClient } from './helpers/pg.js'
import { CLIENT_KINDS, connect, createTestSchema, pgGate } from './helpers/pg.js'

interface Row {
  request: string
  /** Statements while the core loaded the session. */
  load: number
  /** Statements while the handler ran and the core committed. */
  commit: number
  /** Their first words, for the report. */
  kinds: string
}

describe.skipIf(pgGate.skip)(pgGate.title('PostgreSQL statements per request, through @sess/core'), () => {
  const clients: TestClient[] = []
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined
  const results = new Map<string, Row[]>()
  beforeAll(async () => {
    for (const kind of CLIENT_KINDS) clients.push(connect(kind))
    schema = await createTestSchema(clients[0]!)
  })
  afterAll(async () => {
    await schema?.drop()
    for (const tc of clients) await tc.close()
    for (const [kind, rows] of results) {
      console.log(`\nStatements per request, ${kind} (load + commit):`)
      console.table(
        rows.map((r) => ({
          request: r.request,
          statements: `${r.load + r.commit} (${r.load}+${r.commit})`,
          sent: r.kinds,
        })),
      )
    }
  })

  for (const kind of CLIENT_KINDS) {
    it(`${kind}: 0 without a cookie, 1 per read (touched or not), 1 per write and per destroy`, async () => {
      const tc = clients[CLIENT_KINDS.indexOf(kind)]!
      const counting = countStatements(tc.client)
      const clock = fakeClock(Date.now())
      const store = postgresStore({
        client: counting.client,
        schema: schema!.name,
        table: `rt_${kind.replace('.', '')}`,
        clock,
      })
      await store.ensureSchema()
      const manager = createSessionManager({ secret: SECRET, store, idleTimeout: 3600, clock })
      const expiresOf = async (cookie: string): Promise<number> => {
        const id = decodeURIComponent(cookie.split('=')[1]!).slice(2).split('.')[0]
        return (await store.get(id!))!.expiresAt
      }

      const rows: Row[] = []
      const measure: MeasureRequest = async (request, load, handle) => {
        counting.reset()
        const loaded = await load()
        const afterLoad = counting.sent
        await handle?.(loaded!.session)
        const setCookie = loaded ? (await loaded.commit()).setCookie : []
        rows.push({ request, load: afterLoad, commit: counting.sent - afterLoad, kinds: counting.log.join(' + ') })
        return setCookie
      }
      await requestCostScenario({
        manager,
        clock,
        measure,
        // The refresh really happened, inside the read's one statement: an hour from the moved clock.
        touched: async (cookie) => expect(await expiresOf(cookie)).toBe(clock.now() + 3600_000),
      })
      results.set(kind, rows)

      const by = Object.fromEntries(rows.map((r) => [r.request, `${r.load}+${r.commit}`]))
      expect(by).toEqual({
        'no cookie, session unused': '0+0',
        'new session': '0+1',
        'read-only, touch not due': '1+0',
        'read-only, touch due': '1+0',
        'write to an existing session': '1+1',
        'bind a user (setUser)': '1+1',
        'log out everywhere (2 sessions)': '1+0',
        'regenerate (login)': '1+2',
        destroy: '1+1',
      })
    })
  }
})
