import type { Session, SessionHandle } from '@sess/core'
import { createSessionManager } from '@sess/core'
import { fakeClock } from '@sess/testing'
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
      const expiresOf = async (cookie: string | undefined): Promise<number> => {
        const id = decodeURIComponent(cookie!.split('=')[1]!).slice(2).split('.')[0]
        return (await store.get(id!))!.expiresAt
      }

      const rows: Row[] = []
      const cookieOf = (setCookie: string[], previous?: string): string | undefined =>
        setCookie[0]?.split(';')[0] ?? previous
      const measure = async (
        request: string,
        load: () => Promise<SessionHandle | undefined>,
        handle?: (s: Session) => unknown,
      ) => {
        counting.reset()
        const loaded = await load()
        const afterLoad = counting.sent
        await handle?.(loaded!.session)
        const setCookie = loaded ? (await loaded.commit()).setCookie : []
        rows.push({ request, load: afterLoad, commit: counting.sent - afterLoad, kinds: counting.log.join(' + ') })
        return setCookie
      }
      const request = (cookie: string | undefined) => () => manager.load({ cookie })
      const newSession = async (): Promise<string> => {
        const handle = await manager.load({})
        handle.session.set('views' as never, 1 as never)
        return cookieOf((await handle.commit()).setCookie)!
      }
      const views = (s: Session): unknown => s.get('views' as never)

      await measure('no cookie, session unused', request(undefined))
      const cookie = cookieOf(
        await measure('new session', request(undefined), (s) => s.set('views' as never, 1 as never)),
      )
      await measure('read-only, touch not due', request(cookie), views)
      const before = await expiresOf(cookie)
      clock.advance(600_000)
      await measure('read-only, touch due', request(cookie), views)
      // The refresh really happened, inside the read's one statement.
      expect(await expiresOf(cookie)).toBe(before + 600_000)
      await measure('write to an existing session', request(cookie), (s) => s.set('views' as never, 2 as never))
      await measure('bind a user (setUser)', request(cookie), (s) => s.setUser('user-1'))
      const second = await manager.load({})
      second.session.setUser('user-1')
      await second.commit()
      await measure('log out everywhere (2 sessions)', async () => {
        expect(await manager.destroyUserSessions('user-1')).toBe(2)
        return undefined
      })
      await measure('regenerate (login)', request(await newSession()), (s) => s.regenerate({ keepData: true }))
      await measure('destroy', request(await newSession()), (s) => s.destroy())
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
