// The Redis variant: @sess/store-redis on a node-redis client that survives Redis restarts.
import { redisStore } from '@sess/store-redis'
import type { Express } from 'express'
import type { RedisClientType } from 'redis'
import { createClient } from 'redis'
import { createLoginApp } from './app.js'

/** The demo on Redis; the app owns (connects and closes) the client. */
export function createRedisLoginApp(client: RedisClientType, prefix = 'login-demo:'): Express {
  return createLoginApp({ store: redisStore({ client, prefix }) })
}

/**
 * A node-redis client for a long-running app. Without the `'error'` listener, node-redis turns a lost connection
 * into an unhandled `'error'` event and the process exits; with it, the client reconnects once Redis is back.
 * `disableOfflineQueue` makes commands fail at once while disconnected (a 503 page) instead of hanging.
 */
export function connectableRedis(url: string, log: (line: string) => void = console.error): RedisClientType {
  const client = createClient({ url, disableOfflineQueue: true }) as RedisClientType
  let down = false
  client.on('error', (error: Error) => {
    if (!down) log(`redis: ${error.message || error.name}; reconnecting`)
    down = true
  })
  client.on('ready', () => {
    if (down) log('redis: reconnected')
    down = false
  })
  return client
}
