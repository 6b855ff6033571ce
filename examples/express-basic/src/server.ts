import type { RedisClientType } from 'redis'
import { createClient } from 'redis'
import { app } from './app.js'
import { createRedisApp } from './redis.js'

const port = Number(process.env.PORT ?? 3000)
const redisUrl = process.env.REDIS_URL

// With REDIS_URL set, the Redis variant; otherwise the memory store.
const client = redisUrl ? (createClient({ url: redisUrl }) as RedisClientType) : undefined
await client?.connect()
const server = (client ? createRedisApp(client) : app).listen(port, () => {
  const store = client ? `Redis at ${redisUrl}` : 'the memory store'
  console.log(`express-basic on ${store}: http://localhost:${port}/ (also /set?user=Ada, /get, /destroy)`)
})

const stop = (): void => {
  server.close()
  void client?.quit()
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
