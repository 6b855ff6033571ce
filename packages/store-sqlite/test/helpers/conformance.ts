import type { Store } from '@sess/core'
import type { CorruptionKind } from '@sess/testing'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import type { SQLiteClientLike } from '../../src/index.js'
import { sqliteStore } from '../../src/index.js'
import { createDriver } from '../../src/internal/driver.js'
import { sqliteSpecificTests } from './store-specific.js'

/** Row values that make each kind of corrupt record: what a hand edit or another tool could leave behind. */
const CORRUPT: Record<CorruptionKind, { data: string; createdAt: 'now' | ''; version: number | '' }> = {
  undecodable: { data: '{"broken', createdAt: 'now', version: 1 },
  'wrong-shape': { data: '[1, 2]', createdAt: 'now', version: 1 },
  // NOT NULL columns hold an empty text instead: SQLite keeps a value's own type, whatever the column's.
  'null-fields': { data: '{}', createdAt: '', version: '' },
}

/**
 * The shared store conformance suite and the SQLite-specific tests on one database: every store gets its own table
 * (dropped when the suite ends) and honours the suite's clock and hashIds options. No server expires rows, so the
 * store and the suite share a fake clock and expiry needs no real waits.
 */
export function describeSQLiteConformance(
  name: string,
  client: () => SQLiteClientLike,
  kind: 'in-process' | 'd1',
): void {
  let tables = 0
  const clock = fakeClock(Date.now())
  const tableNames = new WeakMap<Store, string>()
  const run = (sql: string, params: unknown[] = []) => createDriver(client()).run([sql, params])
  describeStoreConformance(name, {
    clock,
    async create(options) {
      const table = `sess_${++tables}`
      const store = sqliteStore({
        client: client(),
        table,
        clock: options?.clock ?? clock,
        hashIds: options?.hashIds,
        deviceMetadata: options?.deviceMetadata,
      })
      await store.ensureSchema()
      tableNames.set(store, table)
      return store
    },
    async corrupt(store, id, corruption, ttlSeconds) {
      const { data, createdAt, version } = CORRUPT[corruption]
      const now = clock.now()
      await run(
        `INSERT OR REPLACE INTO "${tableNames.get(store)}" (id, data, created_at, expires_at, last_seen_at, version) VALUES (?, ?, ?, ?, ?, ?)`,
        [id, data, createdAt === 'now' ? now : '', now + ttlSeconds * 1000, now, version],
      )
    },
    cleanup: async (store) => void (await run(`DROP TABLE IF EXISTS "${tableNames.get(store)}"`)),
    additionalTests: (ctx) => sqliteSpecificTests(ctx, client, (store) => tableNames.get(store)!, kind),
  })
}
