import { readFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import connectPgSimple from 'connect-pg-simple'
import express from 'express'
import expressSession from 'express-session'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresStore } from '../src/index.js'
import type { ExpressApp } from './helpers/express-app.js'
import { SECRET, startExpressApp } from './helpers/express-app.js'
import type { TestClient } from './helpers/pg.js'
import { connect, createTestSchema, PG_URL, pgGate } from './helpers/pg.js'

declare module 'express-session' {
  interface SessionData {
    user: string
    views: number
  }
}

/** The app as it ran before: express-session with connect-pg-simple, which creates and fills its own table. */
async function startPeerApp(pool: pg.Pool, schemaName: string): Promise<{ url: string; close(): Promise<void> }> {
  const PgStore = connectPgSimple(expressSession)
  const store = new PgStore({ pool, schemaName, createTableIfMissing: true, pruneSessionInterval: false })
  const app = express()
  app.use(
    expressSession({ secret: SECRET, store, resave: false, saveUninitialized: false, cookie: { maxAge: 3600_000 } }),
  )
  app.get('/login', (req, res) => {
    req.session.user = String(req.query.user)
    req.session.views = 1
    res.json({ id: req.sessionID })
  })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe.skipIf(pgGate.skip)(pgGate.title('moving from connect-pg-simple'), () => {
  let admin: TestClient
  let schema: Awaited<ReturnType<typeof createTestSchema>> | undefined
  let pool: pg.Pool
  let sess: ExpressApp | undefined
  beforeAll(async () => {
    admin = connect('pg', { max: 1 })
    schema = await createTestSchema(admin)
    // The app's connections: every statement lands in the test schema, as in an app whose search_path holds both tables.
    pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema.name}` })
  })
  afterAll(async () => {
    await sess?.close()
    await pool.end()
    await schema?.drop()
    await admin.close()
  })

  it('users logged in through connect-pg-simple stay logged in after the documented INSERT … SELECT', async () => {
    const peer = await startPeerApp(pool, schema!.name)
    const logins: { user: string; cookie: string; id: string }[] = []
    try {
      for (const user of ['ada', 'grace', 'linus']) {
        const response = await fetch(`${peer.url}/login?user=${user}`)
        const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!
        logins.push({ user, cookie, id: ((await response.json()) as { id: string }).id })
      }
    } finally {
      await peer.close()
    }
    // connect-pg-simple created its table itself and holds the three sessions, plus one already expired.
    const table = `"${schema!.name}"."session"`
    expect(Number((await admin.query(`SELECT count(*) AS n FROM ${table}`))[0]?.n)).toBe(3)
    await pool.query(
      `INSERT INTO "session" (sid, sess, expire) VALUES ('gone', '{"cookie":{"originalMaxAge":1000},"user":"old"}', now() - interval '1 hour')`,
    )

    const store = postgresStore({ client: pool })
    await store.ensureSchema()
    const migration = await readFile(new URL('../migrations/from-connect-pg-simple.sql', import.meta.url), 'utf8')
    await pool.query(migration)
    await pool.query(migration) // idempotent
    expect(await store.count()).toBe(3)
    expect(await store.get('gone')).toBeNull()

    sess = await startExpressApp(store)
    for (const { user, cookie, id } of logins) {
      const reply = await sess.request('/', cookie)
      expect(reply.body).toEqual({ id, data: { user, views: 1 } })
      expect((await sess.request('/set?views=2', cookie)).body.data).toEqual({ user, views: '2' })
      const record = await store.get(id)
      expect(record?.data).toEqual({ user, views: '2' })
      expect(record?.expiresAt).toBeGreaterThan(Date.now())
    }
  })
})
