import { postgresStore } from '@sess/store-postgres'
import pg from 'pg'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2000 })
// A connection that dies while idle in the pool is reported here; without a listener it would end the process.
pool.on('error', (error) => console.error('postgres:', error.message))
const store = postgresStore({ client: pool })
// At boot, never per request: creates the table and indexes if missing (or run the migration file yourself).
await store.ensureSchema()

const server = createApp(store).listen(port, () => {
  console.log(`express-postgres: http://localhost:${port}/ (POST /login?user=ada, /me, /devices)`)
})

const stop = (): void => {
  server.close()
  void pool.end()
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
