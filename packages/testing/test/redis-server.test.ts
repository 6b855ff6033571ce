import { afterAll, describe, expect, it } from 'vitest'
import { ping } from '../src/internal/net.js'
import type { RedisServer } from '../src/redis-server.js'
import { redisGate, redisUnavailableReason, startRedisServer } from '../src/redis-server.js'

// The launcher itself needs the binary; REDIS_URL would bypass it, so it is ignored here.
const env = { ...process.env, REDIS_URL: undefined }
const gate = redisGate(env)

describe.skipIf(gate.skip)(gate.title('startRedisServer'), () => {
  const started: RedisServer[] = []
  afterAll(async () => {
    for (const server of started) await server.stop()
  })

  it('starts a server on a free loopback port that answers PING, and stop() closes it', async () => {
    const server = await startRedisServer({ env })
    started.push(server)
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`)
    expect(await ping('127.0.0.1', server.port)).toBe('+PONG')
    await server.stop()
    await expect(ping('127.0.0.1', server.port)).rejects.toThrow(/ECONNREFUSED|closed/)
    await expect(server.stop()).resolves.toBeUndefined()
  })

  it('gives concurrent servers different ports', async () => {
    const [a, b] = await Promise.all([startRedisServer({ env }), startRedisServer({ env })])
    started.push(a, b)
    expect(a.port).not.toBe(b.port)
    expect(await ping('127.0.0.1', a.port)).toBe('+PONG')
    expect(await ping('127.0.0.1', b.port)).toBe('+PONG')
    await a.stop()
    expect(await ping('127.0.0.1', b.port)).toBe('+PONG')
  })

  it('uses REDIS_URL when set, and leaves that server running on stop()', async () => {
    const own = await startRedisServer({ env })
    started.push(own)
    const external = await startRedisServer({ env: { REDIS_URL: own.url } })
    expect(external).toMatchObject({ url: own.url, port: own.port })
    await external.stop()
    expect(await ping('127.0.0.1', own.port)).toBe('+PONG')
  })
})

describe('startRedisServer failures', () => {
  it('rejects with a clear message when the executable is missing', async () => {
    await expect(startRedisServer({ env, command: 'sess-no-such-redis-server' })).rejects.toThrow(
      /Could not start sess-no-such-redis-server.*install redis-server or set REDIS_URL/,
    )
  })

  it('rejects within the timeout when REDIS_URL does not answer', async () => {
    const started = Date.now()
    await expect(startRedisServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, timeoutMs: 300 })).rejects.toThrow(
      /did not answer PING within 300 ms/,
    )
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('reports why redis is unavailable', () => {
    expect(redisUnavailableReason({}, 'sess-no-such-redis-server')).toMatch(/not on PATH/)
    expect(redisUnavailableReason({ REDIS_URL: 'redis://example.invalid:6379' }, 'sess-no-such-redis-server')).toBe(
      undefined,
    )
  })
})
