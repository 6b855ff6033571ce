import type { Session, SessionHandle } from '@sess/core'
import { createSessionManager } from '@sess/core'
import { fakeClock, integrationGate } from '@sess/testing'
import type { Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlStore } from '../src/index.js'
import { connect, countStatements, mysqlUnavailableReason, tableName } from './helpers/database.js'

const gate = integrationGate('MySQL', await mysqlUnavailableReason())
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

describe.skipIf(gate.skip)(gate.title('MySQL statements per request, through @sess/core'), () => {
  let connection: Connection
  const table = tableName()
  beforeAll(async () => {
    connection = (await connect('connection')) as Connection
  })
  afterAll(async () => {
    await connection?.query(`DROP TABLE IF EXISTS \`${table}\``)
    await connection?.end()
  })

  it('0 without a cookie, 1 per read (2 when the refresh is due), 1 per write and destroy', async () => {
    const counting = countStatements(connection)
    const clock = fakeClock(Date.now())
    const store = mysqlStore({ client: counting.client, table, clock, sweep: false })
    await store.ensureSchema()
    const manager = createSessionManager({ secret: SECRET, store, idleTimeout: 3600, clock })
    // The server's own count of statements on this connection, less the SHOW STATUS that reads it.
    const questions = async (): Promise<number> => {
      const [rows] = (await connection.query("SHOW SESSION STATUS LIKE 'Questions'")) as unknown as [
        { Value: string }[],
      ]
      return Number(rows[0]?.Value)
    }
    const rows: Record<string, string> = {}
    const measure = async (
      request: string,
      cookie: string | undefined,
      handler?: (s: Session) => unknown,
    ): Promise<string | undefined> => {
      const [serverBefore, sentBefore] = [await questions(), counting.statements.length]
      const handle: SessionHandle = await manager.load({ cookie })
      const loaded = counting.statements.length - sentBefore
      await handler?.(handle.session)
      const { setCookie } = await handle.commit()
      const sent = counting.statements.length - sentBefore
      expect(await questions(), request).toBe(serverBefore + sent + 1)
      rows[request] = `${loaded}+${sent - loaded}`
      return setCookie[0]?.split(';')[0] ?? cookie
    }
    const views = (s: Session): unknown => s.get('views' as never)

    await measure('no cookie, session unused', undefined)
    const cookie = await measure('new session', undefined, (s) => s.set('views' as never, 1 as never))
    await measure('read-only, refresh not due', cookie, views)
    clock.advance(600_000)
    await measure('read-only, refresh due', cookie, views)
    await measure('write to an existing session', cookie, (s) => s.set('views' as never, 2 as never))
    await measure('bind a user (setUser)', cookie, (s) => s.setUser('user-1'))
    await measure('regenerate (login)', cookie, (s) => s.regenerate({ keepData: true }))
    const other = await measure('new session', undefined, (s) => s.set('views' as never, 1 as never))
    await measure('destroy', other, (s) => s.destroy())
    console.log('MySQL statements per request (load+commit):', rows)
    expect(rows).toEqual({
      'no cookie, session unused': '0+0',
      'new session': '0+1',
      'read-only, refresh not due': '1+0',
      'read-only, refresh due': '2+0',
      'write to an existing session': '1+1',
      'bind a user (setUser)': '1+1',
      'regenerate (login)': '1+2',
      destroy: '1+1',
    })
  })
})
