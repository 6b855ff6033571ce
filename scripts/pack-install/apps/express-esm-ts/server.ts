// An ESM TypeScript Express app (module nodenext, strict) that also imports every public package, so each one's
// types resolve from the tarball and each one loads.
import * as core from '@sess/core'
import session, { isStoreError } from '@sess/express'
import * as fastify from '@sess/fastify'
import * as hono from '@sess/hono'
import { memoryStore } from '@sess/store-memory'
import * as mongo from '@sess/store-mongo'
import * as mysql from '@sess/store-mysql'
import * as postgres from '@sess/store-postgres'
import * as redis from '@sess/store-redis'
import * as sqlite from '@sess/store-sqlite'
import * as unstorage from '@sess/store-unstorage'
import express from 'express'
import type { AddressInfo } from 'node:net'

declare module '@sess/express' {
  interface SessionData {
    views: number
  }
}

const entries: Record<string, unknown> = {
  '@sess/core': core.createSessionManager,
  '@sess/fastify': fastify.sessionPlugin,
  '@sess/hono': hono.session,
  '@sess/store-mongo': mongo.mongoStore,
  '@sess/store-mysql': mysql.mysqlStore,
  '@sess/store-postgres': postgres.postgresStore,
  '@sess/store-redis': redis.redisStore,
  '@sess/store-sqlite': sqlite.sqliteStore,
  '@sess/store-unstorage': unstorage.unstorageStore,
}
for (const [name, entry] of Object.entries(entries)) {
  if (typeof entry !== 'function') throw new Error(`${name}: its entry function is missing`)
}

const app = express()
app.use(
  session({ secret: process.env.SESSION_SECRET ?? '', store: memoryStore(), resave: false, saveUninitialized: false }),
)
app.get('/', (req, res) => {
  const views: number = (req.session.views ?? 0) + 1
  req.session.views = views
  res.send(`views: ${views}`)
})
app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (isStoreError(err)) res.status(503).send('The session store is unavailable.')
  else next(err)
})
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`))
