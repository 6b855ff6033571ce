// How long after a Redis restart the first session read succeeds again, with the clients set up as
// packages/store-redis/README.md recommends (offline queue off, reconnect backoff min(50 * 2^n, 1000) ms):
//   node src/redis-recovery.mjs [--quick]
// For each outage length, stops its own redis-server, waits, starts it again on the same port, then reads through
// the store every 5 ms and records the time from the restarted server's first PONG to the first successful read.
// The backoff sets the figure: after an outage longer than about 1.5 s the client retries once a second, so the
// first success lands anywhere from 0 to 1000 ms after the server is back. Prints JSON.
import { spawn } from 'node:child_process'
import { createConnection, createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { createSessionManager } from '@sess/core'
import { redisStore } from '@sess/store-redis'
import { Redis } from 'ioredis'
import { createClient } from 'redis'

const quick = process.argv.includes('--quick')
const OUTAGES_MS = quick ? [200, 2000] : [200, 1000, 3000, 10_000]
const REPEATS = quick ? 2 : 4
const backoff = (attempt) => Math.min(50 * 2 ** attempt, 1000)

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
const pong = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('error', () => resolve(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(String(data).startsWith('+PONG'))
    })
  })
async function startRedis(port) {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  while (!(await pong(port))) await sleep(2)
  return child
}
const stopRedis = (child) =>
  new Promise((resolve) => {
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })

const CLIENTS = {
  'node-redis': async (url) => {
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: backoff },
    })
    client.on('error', () => {})
    await client.connect()
    return { client, close: () => client.destroy() }
  },
  ioredis: async (url) => {
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: backoff,
      lazyConnect: true,
    })
    client.on('error', () => {})
    await client.connect()
    return { client, close: () => client.disconnect() }
  },
}

const results = []
for (const [kind, connect] of Object.entries(CLIENTS)) {
  for (const outageMs of OUTAGES_MS) {
    const samples = []
    for (let i = 0; i < REPEATS; i++) {
      const port = await freePort()
      let redis = await startRedis(port)
      const { client, close } = await connect(`redis://127.0.0.1:${port}`)
      const manager = createSessionManager({
        secret: 'bench-secret-0123456789abcdef-0123456789',
        store: redisStore({ client }),
        storeTimeout: 1,
      })
      const first = await manager.load({})
      first.session.set('n', 1)
      const cookie = (await first.commit()).setCookie[0].split(';')[0]
      await stopRedis(redis)
      await sleep(outageMs)
      redis = await startRedis(port)
      const back = performance.now()
      for (;;) {
        try {
          await manager.load({ cookie })
          break
        } catch {
          await sleep(5)
        }
      }
      samples.push(Math.round(performance.now() - back))
      await close()
      await stopRedis(redis)
    }
    results.push({ client: kind, outageMs, recoveryMs: samples.sort((a, b) => a - b) })
    console.error(`[recovery] ${kind}, ${outageMs} ms outage: first success ${samples.join(', ')} ms after restart`)
  }
}
console.log(
  JSON.stringify(
    { note: 'ms from the restarted server answering PING to the first successful read', results },
    null,
    1,
  ),
)
