import { afterAll, describe, expect, it } from 'vitest'
import { ping } from '../src/internal/net.js'
import { useRedisClient } from '../src/redis-client.js'
import { redisGate } from '../src/redis-server.js'

const gate = redisGate()
const closed: string[] = []

describe.skipIf(gate.skip)(gate.title('useRedisClient'), () => {
  const client = useRedisClient(
    async (url) => ({ url }),
    async (c) => void closed.push(c.url),
  )
  let early: unknown
  try {
    client()
  } catch (error) {
    early = error
  }

  it('connects before the tests, to a server that answers PING, and closes nothing yet', async () => {
    const url = new URL(client().url)
    expect(await ping(url.hostname, Number(url.port))).toBe('+PONG')
    expect(closed).toEqual([])
  })

  it('has no client outside the tests', () => {
    expect(early).toBeInstanceOf(Error)
    expect((early as Error).message).toMatch(/^\[sess\/testing\] useRedisClient: .*inside the tests only/)
  })
})

// After the describe's own afterAll: the client it connected was closed, once.
afterAll(() => {
  if (!gate.skip) expect(closed).toEqual([expect.stringMatching(/^redis:\/\//)])
})
