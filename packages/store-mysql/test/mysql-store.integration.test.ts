import type { Store } from '@sess/core'
import { describeStoreConformance, fakeClock, integrationGate } from '@sess/testing'
import type { Connection, Pool } from 'mysql2/promise'
import { afterAll, beforeAll, describe } from 'vitest'
import { mysqlStore } from '../src/index.js'
import type { ClientKind } from './helpers/database.js'
import { connect, dropRunTables, mysqlUnavailableReason, tableName } from './helpers/database.js'
import { mysqlSpecificTests } from './helpers/store-specific.js'

// Skips without a reachable server locally; with CI=true or SESS_REQUIRE_INTEGRATION=1 that fails the file.
const gate = integrationGate('MySQL', await mysqlUnavailableReason())
const KINDS: ClientKind[] = ['pool', 'connection']

describe.skipIf(gate.skip)(gate.title('mysqlStore on MySQL/MariaDB'), () => {
  const clients = new Map<ClientKind, Pool | Connection>()
  beforeAll(async () => {
    for (const kind of KINDS) clients.set(kind, await connect(kind))
  })
  afterAll(async () => {
    const any = clients.get('pool')
    if (any) await dropRunTables(any)
    for (const client of clients.values()) await client.end()
  })

  for (const kind of KINDS) {
    // No server-side expiry: the store and the suite share a fake clock, so expiry tests need no real waits.
    const clock = fakeClock(Date.now())
    const tables = new WeakMap<Store, string>()
    describeStoreConformance(`mysql, mysql2 ${kind}`, {
      clock,
      async create(options) {
        const table = tableName()
        const store = mysqlStore({
          client: clients.get(kind)!,
          table,
          clock: options?.clock ?? clock,
          hashIds: options?.hashIds,
        })
        await store.ensureSchema()
        tables.set(store, table)
        return store
      },
      cleanup: (store) =>
        clients
          .get(kind)!
          .query(`DROP TABLE IF EXISTS \`${tables.get(store)}\``)
          .then(() => {}),
      additionalTests: (ctx) =>
        mysqlSpecificTests(
          ctx,
          () => clients.get(kind)!,
          (store) => tables.get(store)!,
        ),
    })
  }
})
