import type { RedisClientType } from 'redis'
import { app } from './app.js'
import { createRedisApp, createRedisClient } from './redis.js'

const port = Number(process.env.PORT ?? 3000)
const redisUrl = process.env.REDIS_URL

// With REDIS_URL set, the Redis variant; otherwise the memory store.
const client: RedisClientType | undefined = redisUrl ? createRedisClient(redisUrl) : undefined
await client?.connect()
const server = (client ? createRedisApp(client) : app).listen(port, () => {
  const store = client ? 'Redis (REDIS_URL)' : 'the memory store'
  console.log(`express-basic on ${store}: http://localhost:${port}/ (also /set?user=Ada, /get, /destroy)`)
})

const stop = (): void => {
  server.close()
  void client?.quit().catch(() => {})
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
