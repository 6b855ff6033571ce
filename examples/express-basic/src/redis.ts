// The README's Redis variant: `store: new RedisStore({ client })`, connect-redis unchanged.
import { RedisStore } from 'connect-redis'
import type { Express } from 'express'
import type { RedisClientType } from 'redis'
import { createApp } from './app.js'

/** The example app on connect-redis; the app owns (connects and closes) the client. */
export function createRedisApp(client: RedisClientType): Express {
  return createApp({ store: new RedisStore({ client, prefix: 'example:' }) })
}
