import type { Clock, Store } from '@sess/core'
import type { CorruptionKind, StoreSuiteFactory } from '@sess/testing'
import { describeStoreConformance } from '@sess/testing'
import { afterAll, beforeAll, describe } from 'vitest'
import type { PostgresStore } from '../src/index.js'
import { postgresStore } from '../src/index.js'
import type { ClientKind, TestClient } from './helpers/pg.js'
import { CLIENT_KINDS, connect, createTestSchema, pgGate } from './helpers/pg.js'
import { postgresSpecificTests } from './helpers/store-specific.js'

describe.skipIf(pgGate.skip)(pgGate.title('postgresStore on PostgreSQL'), () => {
  const clients = new Map<ClientKind, TestClient>()
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined
  let tables = 0
  beforeAll(async () => {
    for (const kind of CLIENT_KINDS) clients.set(kind, connect(kind))
    schema = await createTestSchema(clients.get('pg')!)
  })
  afterAll(async () => {
    await schema?.drop()
    for (const client of clients.values()) await client.close()
  })

  for (const kind of CLIENT_KINDS) {
    type OpenOptions = {
      hashIds?: boolean | undefined
      deviceMetadata?: boolean | undefined
      sweep?: false
      clock?: Clock | undefined
    }
    const open = async (options: OpenOptions = {}): Promise<PostgresStore> => {
      // One table per store: the suite checks that two stores never see each other's sessions.
      const store = postgresStore({
        client: clients.get(kind)!.client,
        schema: schema!.name,
        table: `t${++tables}`,
        ...options,
      })
      await store.ensureSchema()
      return store
    }
    const factory = (extra: OpenOptions = {}): StoreSuiteFactory => ({
      create: (options) =>
        open({
          ...extra,
          hashIds: options?.hashIds,
          clock: options?.clock,
          deviceMetadata: options?.deviceMetadata ?? extra.deviceMetadata,
        }),
      cleanup: (store: Store) => store.clear?.(),
      corrupt: (store, id, corruption, ttl) =>
        plantCorrupt(clients.get(kind)!, store as PostgresStore, id, corruption, ttl),
    })
    describeStoreConformance(`postgres, ${kind}`, {
      ...factory(),
      additionalTests: (ctx) =>
        postgresSpecificTests(
          ctx,
          () => clients.get(kind)!,
          () => schema!.name,
          open,
        ),
    })
    describeStoreConformance(`postgres, ${kind}, device metadata on`, factory({ deviceMetadata: true }))
  }
})

/**
 * Writes a row this store would never write under session `id`, live for `ttl` seconds (expires_at is the row's
 * expiry, as a TTL is a key's): undecodable, a `max_age` that is neither a number nor null; wrong-shape, an array
 * as data; null-fields, null created_at and version (the table's NOT NULL constraints dropped first, as a hand-made
 * table might lack them).
 */
async function plantCorrupt(
  tc: TestClient,
  store: PostgresStore,
  id: string,
  kind: CorruptionKind,
  ttl: number,
): Promise<void> {
  const t = store.table
  if (kind === 'null-fields')
    await tc.query(`ALTER TABLE ${t} ALTER created_at DROP NOT NULL, ALTER version DROP NOT NULL`)
  const [data, created, version, maxAge] =
    kind === 'undecodable'
      ? [`'{"a":1}'`, 'now()', '1', `'"soon"'`]
      : kind === 'wrong-shape'
        ? [`'[1,2]'`, 'now()', '1', 'NULL']
        : [`'{}'`, 'NULL', 'NULL', 'NULL']
  await tc.query(
    `INSERT INTO ${t} (id, data, created_at, expires_at, last_seen_at, version, max_age)
     VALUES ($1, ${data}, ${created}, now() + make_interval(secs => $2::float8), now(), ${version}, ${maxAge})`,
    [id, ttl],
  )
}
