import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { RedisServer } from '@sess/testing'
import { redisGate, startRedisServer } from '@sess/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The demo itself (dist/server.mjs, built by this package's build) as a child process with REDIS_URL, against a
// redis-server this file starts, stops and starts again on the same port. An external REDIS_URL cannot be stopped,
// so it is ignored here: redis-server must be on PATH (with CI=true its absence fails the file).
const localEnv = { ...process.env, REDIS_URL: undefined }
const gate = redisGate(localEnv)
const serverScript = fileURLToPath(new URL('../dist/server.mjs', import.meta.url))

describe.skipIf(gate.skip)(gate.title('express-basic demo when Redis stops and starts'), () => {
  let redis: RedisServer | undefined
  let restarted: ChildProcess | undefined
  let demo: ChildProcess | undefined
  let origin: string
  let output = ''

  beforeAll(async () => {
    redis = await startRedisServer({ env: localEnv })
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    demo = spawn(process.execPath, [serverScript], {
      env: { ...process.env, REDIS_URL: redis.url, PORT: String(port), SESSION_SECRET: 'outage-test-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    demo.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    demo.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await waitUntil(
      () => output.includes('express-basic on Redis'),
      10_000,
      () => `the demo to start: ${output}`,
    )
  })
  afterAll(async () => {
    if (demo && demo.exitCode === null) {
      demo.kill('SIGTERM')
      await once(demo, 'exit')
    }
    if (restarted && restarted.exitCode === null) {
      restarted.kill('SIGTERM')
      await once(restarted, 'exit')
    }
    await redis?.stop()
  })

  it('answers 503 while Redis is down, stays up, and recovers when Redis is back', async () => {
    const first = await fetch(`${origin}/`)
    expect(await first.text()).toBe('Views: 1')
    const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] as string
    expect(await (await fetch(`${origin}/`, { headers: { cookie } })).text()).toBe('Views: 2')

    const port = (redis as RedisServer).port
    await (redis as RedisServer).stop()

    // The client notices the closed connection within moments; from then on every request is a clear 503.
    let outage: Response | undefined
    await waitUntil(
      async () => {
        outage = await fetch(`${origin}/`, { headers: { cookie } })
        return outage.status === 503
      },
      5000,
      () => `a 503 (last status ${outage?.status})`,
    )
    const page = await (outage as Response).text()
    expect(page).toContain('Sessions are unavailable')
    expect(page).not.toMatch(/SessionStoreError|STORE_FAILURE|at .*\.js/)
    expect((outage as Response).headers.get('retry-after')).toBe('5')
    const fresh = await fetch(`${origin}/`)
    expect(fresh.status).toBe(503)
    await fresh.text()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(demo?.exitCode).toBeNull()
    expect((await fetch(`${origin}/get`, { headers: { cookie } })).status).toBe(503)

    restarted = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    )
    // The records died with the old server (no persistence): the old cookie now starts a fresh session.
    let again: Response | undefined
    await waitUntil(
      async () => {
        again = await fetch(`${origin}/`, { headers: { cookie } })
        return again.status === 200
      },
      15_000,
      () => `recovery (last status ${again?.status})`,
    )
    expect(await (again as Response).text()).toBe('Views: 1')
    const next = (again as Response).headers.getSetCookie()[0]?.split(';')[0] ?? cookie
    expect(await (await fetch(`${origin}/`, { headers: { cookie: next } })).text()).toBe('Views: 2')

    expect(demo?.exitCode).toBeNull()
    expect(output).toContain('reconnecting')
    expect(output).toContain('redis: reconnected')
    expect(output).not.toMatch(/Unhandled 'error' event|SocketClosedUnexpectedly.*\n\s+at /)
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitUntil(
  ready: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await ready()) return
    } catch {
      // not yet (connection refused while starting)
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
