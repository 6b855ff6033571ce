import { afterAll, beforeAll } from 'vitest'
import type { RedisServer } from './redis-server.js'
import { startRedisServer } from './redis-server.js'

/**
 * Registers, in the enclosing `describe` (or file), a throwaway Redis server ({@link startRedisServer}) with a client
 * of it: `connect(url)` before the tests, `close(client)` and the server's stop after them. Returns the client's
 * getter, for inside the tests. Give each test its own key prefix.
 *
 * @example
 * ```ts
 * describe.skipIf(gate.skip)(gate.title('on Redis'), () => {
 *   const client = useRedisClient((url) => createClient({ url }).connect(), (c) => c.quit())
 *   it('…', () => redisStore({ client: client(), prefix: 'this-test:' }))
 * })
 * ```
 */
export function useRedisClient<C>(
  connect: (url: string) => Promise<C>,
  close: (client: C) => Promise<unknown>,
): () => C {
  let server: RedisServer | undefined
  let client: C | undefined
  beforeAll(async () => {
    server = await startRedisServer()
    client = await connect(server.url)
  })
  afterAll(async () => {
    if (client !== undefined) await close(client)
    await server?.stop()
  })
  return () => {
    if (client === undefined) throw new Error('[sess/testing] useRedisClient: the client exists inside the tests only.')
    return client
  }
}
