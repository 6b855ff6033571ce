import { SessionConfigError } from '@sess/core'
import type {
  IORedisLike,
  NodeRedisClientLike,
  NodeRedisClusterLike,
  NodeRedisSentinelLike,
  RedisClientLike,
} from '../client.js'

/** Sends one command; every argument is a string. */
export type Send = (args: string[]) => Promise<unknown>

/** The one thing the store needs from a client: send a command, routed by its key in a cluster. */
export interface Driver {
  /** Keys of one operation may live on different nodes, so the store cannot touch two of them in one script. */
  readonly cluster: boolean
  /** Sends `args`, routed by `key` in a cluster. */
  send(key: string, args: string[]): Promise<unknown>
  /** A sender per master (the server itself when standalone), for SCAN, whose cursor belongs to one node. */
  masters(): Promise<Send[]>
}

type Probe = Record<string, unknown>

/**
 * Recognises the client: ioredis has `call` (and `isCluster` on its Cluster); node-redis has `sendCommand`, whose
 * signature differs between a client, a cluster (`masters`, `nodeClient`) and a Sentinel (`getSentinelNode`).
 */
export function createDriver(client: RedisClientLike, cluster: boolean | undefined): Driver {
  const probe = client as unknown as Probe
  if (typeof probe !== 'object' || probe === null) throw invalid('Pass the Redis client as options.client.')
  rejectKeyPrefix(probe)
  if (typeof probe.call === 'function') return ioredis(client as IORedisLike, cluster)
  if (typeof probe.sendCommand !== 'function') {
    throw invalid('options.client must be a node-redis (v4 or later) or ioredis client, cluster or Sentinel client.')
  }
  if (typeof probe.nodeClient === 'function' && 'masters' in probe) {
    const c = client as NodeRedisClusterLike
    return {
      cluster: cluster ?? true,
      send: (key, args) => c.sendCommand(key, false, args),
      masters: () =>
        Promise.all(
          c.masters.map(async (node) => {
            const nodeClient = await c.nodeClient(node as never)
            return (args: string[]) => nodeClient.sendCommand(args)
          }),
        ),
    }
  }
  if (typeof probe.getSentinelNode === 'function') {
    const c = client as NodeRedisSentinelLike
    const send: Send = (args) => c.sendCommand(false, args)
    return { cluster: cluster ?? false, send: (_, args) => send(args), masters: async () => [send] }
  }
  const c = client as NodeRedisClientLike
  const send: Send = (args) => c.sendCommand(args)
  return { cluster: cluster ?? false, send: (_, args) => send(args), masters: async () => [send] }
}

function ioredis(client: IORedisLike, cluster: boolean | undefined): Driver {
  const sender =
    (c: IORedisLike): Send =>
    (args) =>
      c.call(args[0]!, ...args.slice(1))
  const send = sender(client)
  const isCluster = client.isCluster === true
  return {
    cluster: cluster ?? isCluster,
    send: (_, args) => send(args),
    masters: async () => (isCluster && client.nodes ? client.nodes('master').map(sender) : [send]),
  }
}

// A client-side key prefix would be applied to the keys of some commands and not to SCAN patterns or to keys a
// script builds, so the store's keys would no longer match: the store's own `prefix` option replaces it.
function rejectKeyPrefix(probe: Probe): void {
  const options = probe.options as Probe | undefined
  const redisOptions = options?.redisOptions as Probe | undefined
  const prefixes = [options?.keyPrefix, redisOptions?.keyPrefix, probe._keyPrefix]
  if (prefixes.some((p) => p !== undefined && p !== null && p !== '')) {
    throw invalid("The client has a keyPrefix; remove it and use redisStore's prefix option instead.")
  }
}

function invalid(message: string): SessionConfigError {
  return new SessionConfigError('OPTION_INVALID', `[sess] [store-redis] ${message}`)
}
