// The shared store conformance suite and the SQLite-specific tests on Cloudflare D1, inside workerd: the store, the
// suite and the D1 binding all run in the Workers runtime (the Workers Vitest integration, through Miniflare). Run by
// `vitest --config vitest.workerd.config.ts` under Node 22+ from the runtime matrix (scripts/runtimes/run.mjs).
import type { Store } from '@sess/core'
import { describeStoreConformance, fakeClock } from '@sess/testing'
import { env } from 'cloudflare:workers'
import type { D1DatabaseLike } from '../../src/index.js'
import { sqliteStore } from '../../src/index.js'
import { sqliteSpecificTests } from '../helpers/store-specific.js'

const db = (env as { DB: D1DatabaseLike }).DB
let tables = 0
const clock = fakeClock(Date.now())
const tableNames = new WeakMap<Store, string>()
describeStoreConformance('sqlite, Cloudflare D1 on workerd', {
  clock,
  async create() {
    const table = `sess_${++tables}`
    const store = sqliteStore({ client: db, table, clock })
    await store.ensureSchema()
    tableNames.set(store, table)
    return store
  },
  cleanup: async (store) => void (await db.prepare(`DROP TABLE IF EXISTS "${tableNames.get(store)}"`).run()),
  additionalTests: (ctx) =>
    sqliteSpecificTests(
      ctx,
      () => db,
      (store) => tableNames.get(store)!,
      'd1',
    ),
})
