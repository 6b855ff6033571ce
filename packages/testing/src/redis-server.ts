import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Env, IntegrationGate } from './integration.js'
import { integrationGate } from './integration.js'
import { freePort, ping } from './internal/net.js'

/** A Redis server for one test file. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, or `REDIS_URL` when set. */
  readonly url: string
  readonly port: number
  /** Stops the server this call started (only its own PID) and waits for it to exit; a no-op for `REDIS_URL`. */
  stop(): Promise<void>
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** How long to wait for the server to answer PING, in milliseconds. @default 10000 */
  timeoutMs?: number | undefined
  /** The server executable. @default 'redis-server' */
  command?: string | undefined
  /** Environment to read `REDIS_URL` from. @default process.env */
  env?: Env | undefined
}

const HOST = '127.0.0.1'

/**
 * Starts a throwaway `redis-server` on a free loopback port, without persistence, and resolves once it answers
 * PING. With `REDIS_URL` set, uses that server instead. Start one per test file in `beforeAll`, and give each test
 * its own key prefix.
 *
 * @example
 * ```ts
 * let redis: RedisServer
 * beforeAll(async () => { redis = await startRedisServer() })
 * afterAll(() => redis.stop())
 * ```
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const external = (options.env ?? process.env).REDIS_URL
  if (external) return useExternal(external, timeoutMs)
  // The port is free when picked but could be taken before redis binds it: retry on that race only.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options.command ?? 'redis-server', await freePort(), timeoutMs)
    } catch (error) {
      if (attempt >= 3 || !/address already in use/i.test(String((error as Error).message))) throw error
    }
  }
}

/** Why Redis cannot be used here (no `REDIS_URL` and no `redis-server` on PATH), or `undefined` when it can. */
export function redisUnavailableReason(env: Env = process.env, command = 'redis-server'): string | undefined {
  if (env.REDIS_URL) return undefined
  const probe = spawnSync(command, ['--version'], { stdio: 'ignore', timeout: 5000 })
  if (probe.error === undefined && probe.status === 0) return undefined
  return `${command} is not on PATH (install it, e.g. apt-get install redis-server) and REDIS_URL is not set`
}

/** {@link integrationGate} for Redis: skips without a server locally, fails on CI. */
export function redisGate(env: Env = process.env): IntegrationGate {
  return integrationGate('Redis', redisUnavailableReason(env), env)
}

async function useExternal(url: string, timeoutMs: number): Promise<RedisServer> {
  const parsed = new URL(url)
  const port = Number(parsed.port || 6379)
  // Any reply proves the server is up (an -NOAUTH error too); TLS URLs are left to the client to check.
  if (parsed.protocol === 'redis:') {
    await waitFor(
      () => ping(parsed.hostname, port, 1000).then(() => true),
      timeoutMs,
      () => `REDIS_URL ${url}`,
    )
  }
  return { url, port, stop: async () => {} }
}

async function launch(command: string, port: number, timeoutMs: number): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', tmpdir()]
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  // 'exit' may not follow 'error' (e.g. ENOENT), so either one ends the process's life.
  let failure: string | undefined
  const ended = new Promise<void>((resolve) => {
    child.once('error', (error) => ((failure ??= error.message), resolve()))
    child.once('exit', (code, signal) => ((failure ??= `exited with ${signal ?? `code ${code}`}`), resolve()))
  })
  // A test process that dies without stop() must not leave its server running.
  const killOnExit = (): void => void child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit)
    await terminate(child, ended)
  }

  try {
    await waitFor(
      async () => {
        if (failure !== undefined)
          throw new Error(
            `[sess/testing] Could not start ${command}: ${failure}; install redis-server or set REDIS_URL. ${output}`,
          )
        return (await ping(HOST, port, 500)) === '+PONG'
      },
      timeoutMs,
      () => `${command} on port ${port} (output: ${output.trim() || 'none'})`,
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `redis://${HOST}:${port}`, port, stop }
}

async function terminate(child: ChildProcess, ended: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return ended
  child.kill('SIGTERM')
  const force = setTimeout(() => child.kill('SIGKILL'), 5000)
  await ended
  clearTimeout(force)
}

/** Polls `ready` until it resolves true; a throw from `ready` starting with `[sess/testing]` aborts at once. */
async function waitFor(ready: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      if (await ready()) return
    } catch (error) {
      if (String((error as Error).message).startsWith('[sess/testing]')) throw error
      last = error
    }
    await sleep(50)
  }
  throw new Error(
    `[sess/testing] ${what()} did not answer PING within ${timeoutMs} ms${last ? ` (last error: ${String((last as Error).message)})` : ''}; check that it can start, or set REDIS_URL.`,
  )
}
