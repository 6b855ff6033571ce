/**
 * The Redis clients the store accepts, typed structurally with only the members it uses, so that no client library
 * is a dependency and tests can pass a fake. The store tells them apart at construction.
 */

/** A node-redis (v4 and later) client from `createClient()`, or a pool from `createClientPool()`. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>
}

/** A node-redis (v4 and later) cluster client from `createCluster()`. */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>
  /** The master nodes, scanned one by one by `clear()` and `count()`. */
  readonly masters: readonly unknown[]
  nodeClient(node: never): NodeRedisClientLike | Promise<NodeRedisClientLike>
}

/** A node-redis (v5 and later) Sentinel client from `createSentinel()`. */
export interface NodeRedisSentinelLike {
  sendCommand(isReadonly: boolean | undefined, args: string[]): Promise<unknown>
  getSentinelNode(): unknown
}

/** An ioredis `Redis` (standalone or Sentinel) or `Cluster`. */
export interface IORedisLike {
  call(command: string, ...args: string[]): Promise<unknown>
  /** `true` on an ioredis `Cluster`. */
  readonly isCluster?: boolean | undefined
  /** On a `Cluster`: its nodes, scanned one by one by `clear()` and `count()`. */
  nodes?(role: 'master'): IORedisLike[]
}

/** Any client {@link redisStore} accepts: node-redis or ioredis, standalone, Sentinel or Cluster. */
export type RedisClientLike = NodeRedisClientLike | NodeRedisClusterLike | NodeRedisSentinelLike | IORedisLike
