import type { Store } from '@sess/core'
import type { CorruptionKind } from '@sess/testing'
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
/** Row values that make each kind of corrupt record. */
const CORRUPT: Record<CorruptionKind, { data: string; fieldsNull: boolean }> = {
  undecodable: { data: '{"broken', fieldsNull: false },
  'wrong-shape': { data: '[1, 2]', fieldsNull: false },
  'null-fields': { data: '{}', fieldsNull: true },
}

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
          deviceMetadata: options?.deviceMetadata,
        })
        await store.ensureSchema()
        tables.set(store, table)
        return store
      },
      async corrupt(store, id, corruption, ttlSeconds) {
        const client = clients.get(kind)!
        const table = `\`${tables.get(store)}\``
        // What a hand edit or a careless migration leaves: the columns loosened, then a row no store would write.
        await client.query(
          `ALTER TABLE ${table} MODIFY data LONGTEXT NULL, MODIFY created_at BIGINT NULL, MODIFY version BIGINT NULL`,
        )
        const now = clock.now()
        const row = CORRUPT[corruption]
        await client.query(
          `REPLACE INTO ${table} (id, data, created_at, expires_at, last_seen_at, version) VALUES (?, ?, ?, ?, ?, ?)`,
          [id, row.data, row.fieldsNull ? null : now, now + ttlSeconds * 1000, now, row.fieldsNull ? null : 1],
        )
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
