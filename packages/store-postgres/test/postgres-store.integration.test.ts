import type { Clock, Store } from '@sess/core'
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
    const open = async (
      options: {
        hashIds?: boolean | undefined
        deviceMetadata?: boolean
        sweep?: false
        clock?: Clock | undefined
      } = {},
    ): Promise<PostgresStore> => {
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
    describeStoreConformance(`postgres, ${kind}`, {
      create: (options) => open({ ...options }),
      cleanup: (store: Store) => store.clear?.(),
      additionalTests: (ctx) =>
        postgresSpecificTests(
          ctx,
          () => clients.get(kind)!,
          () => schema!.name,
          open,
        ),
    })
    describeStoreConformance(`postgres, ${kind}, device metadata on`, {
      create: (options) => open({ ...options, deviceMetadata: true }),
      cleanup: (store: Store) => store.clear?.(),
    })
  }
})
