// The README's Redis variant: `store: new RedisStore({ client })`, connect-redis unchanged.
import { RedisStore } from 'connect-redis'
import type { Express } from 'express'
import type { RedisClientType } from 'redis'
import { createClient } from 'redis'
import { createApp } from './app.js'

/** The example app on connect-redis; the app owns (connects and closes) the client. */
export function createRedisApp(client: RedisClientType): Express {
  return createApp({ store: new RedisStore({ client, prefix: 'example:' }) })
}

/**
 * A node-redis client that survives Redis going away and coming back: copy these lines, not just `createClient()`.
 *
 * - An `'error'` listener is required: without one node-redis re-emits a lost connection as an unhandled `'error'`
 *   event, which kills the process. With one, the client reconnects by itself (with backoff) once Redis is back.
 * - `disableOfflineQueue: true`: while disconnected, commands fail at once (the app answers 503) instead of queueing
 *   until Redis returns, which would hold every request open.
 */
export function createRedisClient(url: string, log: (line: string) => void = console.error): RedisClientType {
  const client = createClient({ url, disableOfflineQueue: true }) as RedisClientType
  let down = false
  client.on('error', (error: Error) => {
    // One line per outage, not one per reconnection attempt.
    if (!down) log(`redis: ${error.message || error.name}; reconnecting`)
    down = true
  })
  client.on('ready', () => {
    if (down) log('redis: reconnected')
    down = false
  })
  return client
}
