import type { RedisClientType } from 'redis'
import { createLoginApp } from './app.js'
import { connectableRedis, createRedisLoginApp } from './redis.js'

const port = Number(process.env.PORT ?? 3000)
const redisUrl = process.env.REDIS_URL

// With REDIS_URL set, sessions live in Redis; otherwise in this process's memory.
const client: RedisClientType | undefined = redisUrl ? connectableRedis(redisUrl) : undefined
await client?.connect()
const server = (client ? createRedisLoginApp(client) : createLoginApp()).listen(port, () => {
  console.log(`login demo on ${client ? 'Redis (REDIS_URL)' : 'the memory store'}: http://localhost:${port}/`)
})

const stop = (): void => {
  server.close()
  void client?.quit().catch(() => {})
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
