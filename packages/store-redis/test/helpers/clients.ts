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
  if (kind === 'node-redis') {
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: backoff },
    })
    const close = async (): Promise<void> => void (client.isOpen ? await client.close() : client.destroy())
    return connected(
      kind,
      client,
      () => client.connect(),
      oneServer((args) => client.sendCommand(args), close),
    )
  }
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: backoff,
    lazyConnect: true,
  })
  const send = ([command, ...rest]: string[]): Promise<unknown> => client.call(command!, ...rest)
  return connected(
    kind,
    client,
    () => client.connect(),
    oneServer(send, async () => void client.disconnect()),
  )
}

/** A cluster client on the given seed ports, with the same recommended settings. */
export async function connectCluster(kind: ClientKind, ports: readonly number[]): Promise<TestClient> {
  if (kind === 'node-redis') {
    const client = createCluster({
      rootNodes: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
      defaults: { disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: backoff } },
    })
    return connected(kind, client, () => client.connect(), {
      cluster: true,
      raw: (key, ...args) => client.sendCommand(key, false, args),
      onEachMaster: async (...args) =>
        Promise.all(client.masters.map(async (m) => (await client.nodeClient(m)).sendCommand(args))),
      close: async () => void (client.isOpen ? await client.close() : client.destroy()),
    })
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
  return connected(kind, client, () => Promise.all([client.connect(), once(client, 'ready')]), {
    cluster: true,
    raw: (_key, ...args) => client.call(args[0]!, ...args.slice(1)),
    onEachMaster: (...args) => Promise.all(client.nodes('master').map((n) => n.call(args[0]!, ...args.slice(1)))),
    close: async () => void client.disconnect(),
  })
}

/** What a {@link TestClient} does beyond the store's calls, which differs by client library and topology. */
type Calls = Pick<TestClient, 'cluster' | 'raw' | 'onEachMaster' | 'close'>

/** The calls of a client of one server: every key lives there, and it is the only master. */
function oneServer(send: (args: string[]) => Promise<unknown>, close: () => Promise<void>): Calls {
  return {
    cluster: false,
    raw: (_key, ...args) => send(args),
    onEachMaster: async (...args) => [await send(args)],
    close,
  }
}

/** Connects `client` with `connect`, collecting its 'error' events from before the first attempt. */
async function connected(
  kind: ClientKind,
  client: RedisClientLike & { on(event: 'error', listener: (error: unknown) => void): unknown },
  connect: () => Promise<unknown>,
  calls: Calls,
): Promise<TestClient> {
  const errors: unknown[] = []
  client.on('error', (error) => errors.push(error))
  await connect()
  return { kind, client, errors, ...calls }
}
