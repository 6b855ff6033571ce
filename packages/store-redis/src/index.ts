/** @module @sess/store-redis — Redis session store for @sess/core: node-redis or ioredis, standalone, Sentinel or Cluster. */

// Store
export { redisStore } from './redis-store.js'
export type { RedisSerializer, RedisStore, RedisStoreOptions } from './redis-store.js'

// Clients
export type {
  IORedisLike,
  NodeRedisClientLike,
  NodeRedisClusterLike,
  NodeRedisSentinelLike,
  RedisClientLike,
} from './client.js'
