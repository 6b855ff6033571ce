import type { ChildProcess } from 'node:child_process'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'

const HOST = '127.0.0.1'
const run = promisify(execFile)

/** A redis-server this test started; `stop()` ends only that process (the fault tests restart it on `port`). */
export interface RedisProcess {
  readonly port: number
  readonly url: string
  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, the case only a timeout can bound. */
  pause(): void
  /** Thaws a paused server (SIGCONT). */
  resume(): void
  stop(): Promise<void>
}

/** A port the OS just gave out on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** One raw RESP command; resolves to the whole reply text (enough for PING and CLUSTER INFO). */
export function rawCommand(port: number, args: string[], timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port })
    let reply = ''
    const done = (error?: Error): void => {
      socket.destroy()
      error ? reject(error) : resolve(reply)
    }
    socket.setTimeout(timeoutMs, () => done(new Error('timeout')))
    socket.once('error', done)
    socket.once('connect', () =>
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`),
    )
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      const bulk = /^\$(\d+)\r\n/.exec(reply)
      if (bulk ? reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.endsWith('\r\n')) done()
    })
  })
}

/** Starts `redis-server` on `port` (no persistence) and resolves once it answers PING. */
export async function spawnRedis(port: number, extraArgs: string[] = [], timeoutMs = 10_000): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sess-redis-'))
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs]
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)))
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-2000)))
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const kill = (): void => void child.kill('SIGKILL')
  process.once('exit', kill)
  const stop = async (): Promise<void> => {
    process.off('exit', kill)
    await terminate(child, ended)
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`redis-server on ${port} exited: ${output}`)
    }
    if ((await rawCommand(port, ['PING'], 500).catch(() => '')) === '+PONG\r\n') break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`redis-server on ${port} did not answer PING: ${output}`)
    }
    await sleep(30)
  }
  return {
    port,
    url: `redis://${HOST}:${port}`,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop,
  }
}

async function terminate(child: ChildProcess, ended: Promise<void>): Promise<void> {
  if (child.exitCode !== null || (child.signalCode !== null && child.signalCode !== 'SIGSTOP')) return
  child.kill('SIGCONT')
  child.kill('SIGTERM')
  const force = setTimeout(() => child.kill('SIGKILL'), 5000)
  await ended
  clearTimeout(force)
}

/** A Redis Cluster of masters only, each a redis-server this test started. */
export interface RedisCluster {
  readonly nodes: readonly RedisProcess[]
  stop(): Promise<void>
}

/**
 * Starts `masters` cluster-enabled servers on free loopback ports (client and bus port each picked explicitly),
 * joins them with `redis-cli --cluster create`, and resolves once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(masters = 3, timeoutMs = 20_000): Promise<RedisCluster> {
  const nodes: RedisProcess[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()))
  }
  try {
    for (let i = 0; i < masters; i++) {
      const [port, bus] = [await freePort(), await freePort()]
      nodes.push(
        await spawnRedis(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-port',
          String(bus),
          '--cluster-node-timeout',
          '5000',
        ]),
      )
    }
    const addresses = nodes.map((n) => `${HOST}:${n.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: timeoutMs,
    })
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const infos = await Promise.all(nodes.map((n) => rawCommand(n.port, ['CLUSTER', 'INFO']).catch(() => '')))
      if (infos.every((info) => info.includes('cluster_state:ok'))) break
      if (Date.now() > deadline) throw new Error(`cluster not ok after ${timeoutMs} ms: ${infos.join(' | ')}`)
      await sleep(100)
    }
    return { nodes, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
