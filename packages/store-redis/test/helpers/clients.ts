import { once } from 'node:events'
import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import type { RedisClientLike } from '../../src/index.js'

export type ClientKind = 'node-redis' | 'ioredis'

/** A connected client as an app would configure it, plus raw command access for assertions. */
export interface TestClient {
  readonly kind: ClientKind
  readonly cluster: boolean
  readonly client: RedisClientLike
  /** Sends a command outside the store (routed by `key` in a cluster). */
  raw(key: string | undefined, ...args: string[]): Promise<unknown>
  /** Runs a command on every master (e.g. INFO, SCRIPT FLUSH). */
  onEachMaster(...args: string[]): Promise<unknown[]>
  /** Client-side errors seen through the client's 'error' event (a down server emits these). */
  readonly errors: unknown[]
  close(): Promise<void>
}

/** Backoff between reconnection attempts, capped at 1 s: recovery is quick once the server is back. */
const backoff = (attempt: number): number => Math.min(50 * 2 ** attempt, 1000)

/**
 * The settings the README recommends: fail fast while disconnected (no offline queue, so a request gets an error
 * at once instead of a write that lands minutes later), short connect timeout, endless reconnection with backoff.
 */
export async function connectStandalone(kind: ClientKind, url: string): Promise<TestClient> {
  const errors: unknown[] = []
  if (kind === 'node-redis') {
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: backoff },
    })
    client.on('error', (error) => errors.push(error))
    await client.connect()
    const raw = (_key: string | undefined, ...args: string[]): Promise<unknown> => client.sendCommand(args)
    return {
      kind,
      cluster: false,
      client,
      raw,
      onEachMaster: async (...args) => [await raw(undefined, ...args)],
      errors,
      close: async () => void (client.isOpen ? await client.close() : client.destroy()),
    }
  }
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: backoff,
    lazyConnect: true,
  })
  client.on('error', (error) => errors.push(error))
  await client.connect()
  const raw = (_key: string | undefined, ...args: string[]): Promise<unknown> => client.call(args[0]!, ...args.slice(1))
  return {
    kind,
    cluster: false,
    client,
    raw,
    onEachMaster: async (...args) => [await raw(undefined, ...args)],
    errors,
    close: async () => void client.disconnect(),
  }
}

/** A cluster client on the given seed ports, with the same recommended settings. */
export async function connectCluster(kind: ClientKind, ports: readonly number[]): Promise<TestClient> {
  const errors: unknown[] = []
  if (kind === 'node-redis') {
    const client = createCluster({
      rootNodes: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
      defaults: { disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: backoff } },
    })
    client.on('error', (error) => errors.push(error))
    await client.connect()
    return {
      kind,
      cluster: true,
      client,
      raw: (key, ...args) => client.sendCommand(key, false, args),
      onEachMaster: async (...args) =>
        Promise.all(client.masters.map(async (m) => (await client.nodeClient(m)).sendCommand(args))),
      errors,
      close: async () => void (client.isOpen ? await client.close() : client.destroy()),
    }
  }
  const client = new Cluster(
    ports.map((port) => ({ host: '127.0.0.1', port })),
    {
      enableOfflineQueue: false,
      clusterRetryStrategy: backoff,
      redisOptions: { connectTimeout: 2000, maxRetriesPerRequest: 1 },
      lazyConnect: true,
    },
  )
  client.on('error', (error) => errors.push(error))
  await Promise.all([client.connect(), once(client, 'ready')])
  return {
    kind,
    cluster: true,
    client,
    raw: (_key, ...args) => client.call(args[0]!, ...args.slice(1)),
    onEachMaster: (...args) => Promise.all(client.nodes('master').map((n) => n.call(args[0]!, ...args.slice(1)))),
    errors,
    close: async () => void client.disconnect(),
  }
}
