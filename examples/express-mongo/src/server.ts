import { mongoStore } from '@sess/store-mongo'
import { MongoClient } from 'mongodb'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017'

// Connect and create the indexes at boot: a client whose first connection fails stays closed, and index builds
// never belong on the request path.
const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 })
await client.connect()
const store = mongoStore({ db: client.db(process.env.MONGO_DB ?? 'sess_example') })
await store.ensureIndexes()

const server = createApp(store).listen(port, () => {
  console.log(`express-mongo on ${url}: http://localhost:${port}/ (POST /login?user=ada, /me, /devices)`)
})

const stop = (): void => {
  server.close()
  void client.close()
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
