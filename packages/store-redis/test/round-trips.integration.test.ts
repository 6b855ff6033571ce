import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { SessionManager } from '@sess/core'
import { createSessionManager } from '@sess/core'
import type { FakeClock, MeasureRequest, RedisServer } from '@sess/testing'
import { fakeClock, redisGate, requestCostScenario, startRedisServer } from '@sess/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import * as scripts from '../src/internal/scripts.js'
import type { ClientKind, TestClient } from './helpers/clients.js'
import { connectCluster, connectStandalone } from './helpers/clients.js'
import type { CountingClient } from './helpers/counting.js'
import { commandStats, countCommands, statsDelta } from './helpers/counting.js'
import type { RedisCluster } from './helpers/redis-process.js'
import { startRedisCluster } from './helpers/redis-process.js'

// Counting needs servers of our own: a shared REDIS_URL would count other files' traffic too.
const env = { ...process.env, REDIS_URL: undefined }
const gate = redisGate(env)
const KINDS: ClientKind[] = ['node-redis', 'ioredis']
const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

interface Row {
  request: string
  /** Commands the server received while the core loaded the session (MONITOR, script-internal ones left out). */
  load: number
  /** ... while the handler ran and the core committed. */
  commit: number
  /** Commands the store handed to the client library over the whole request. */
  sent: number
  /** Everything the server executed (INFO commandstats delta), script-internal commands included. */
  executed: string
}

const total = (row: Row | undefined): number | undefined => (row ? row.load + row.commit : undefined)

describe.skipIf(gate.skip)(gate.title('Redis commands per request, through @sess/core'), () => {
  let server: RedisServer | undefined
  let cluster: RedisCluster | undefined
  const results = new Map<string, Row[]>()

  beforeAll(async () => {
    ;[server, cluster] = await Promise.all([startRedisServer({ env }), startRedisCluster(3)])
  })
  afterAll(async () => {
    await Promise.all([server?.stop(), cluster?.stop()])
    if (results.size === 0) return
    const columns = [...results.keys()]
    console.log('\nRedis commands per request, received by the server (MONITOR), as load + commit:')
    console.table(
      results.get(columns[0]!)!.map(({ request }) => {
        const row: Record<string, string> = { request }
        for (const column of columns) {
          const r = results.get(column)?.find((x) => x.request === request)
          row[column] = r ? `${total(r)} (${r.load}+${r.commit})` : '-'
        }
        return row
      }),
    )
    for (const column of ['standalone node-redis', 'cluster ioredis']) {
      console.log(`What the server executed, ${column} (INFO commandstats delta, script-internal commands included):`)
      console.table(results.get(column)?.map(({ request, executed }) => ({ request, executed })))
    }
  })

  const ports = (): number[] => cluster!.nodes.map((n) => n.port)
  const topologies = [
    ['standalone', (kind: ClientKind) => connectStandalone(kind, server!.url), () => [server!.port]],
    ['cluster', (kind: ClientKind) => connectCluster(kind, ports()), ports],
  ] as const

  for (const [topology, connect, masterPorts] of topologies) {
    for (const kind of KINDS) {
      it(`${topology}, ${kind}: 0 without a cookie, 1 per read-only request (touched or not), 1 per write`, async () => {
        const tc = await connect(kind)
        try {
          const rows = await measureRequests(tc, masterPorts())
          results.set(`${topology} ${kind}`, rows)
          const by = Object.fromEntries(rows.map((r) => [r.request, `${r.load}+${r.commit}`]))
          for (const row of rows) expect(row.sent, row.request).toBe(row.load + row.commit)
          expect(by).toMatchObject({
            'no cookie, session unused': '0+0',
            'new session': '0+1',
            'read-only, touch not due': '1+0',
            'read-only, touch due': '1+0',
            'write to an existing session': '1+1',
            destroy: '1+1',
            'regenerate (login)': '1+2',
            'first read after SCRIPT FLUSH (cold cache)': '2+0',
          })
          // Binding a user costs one more command in a cluster, where the index lives in another slot.
          expect(by['bind a user (setUser)']).toBe(topology === 'cluster' ? '1+2' : '1+1')
          // Not a request: the manager call, counted in the first column.
          expect(by['log out everywhere (2 sessions)']).toBe(topology === 'cluster' ? '4+0' : '1+0')
          // Inside the scripts: the hash command itself finds a key of another type (redis.pcall), no TYPE first.
          const inside = Object.fromEntries(rows.map((r) => [r.request, r.executed.split(', ').sort()]))
          expect(inside['read-only, touch not due']).toEqual(['evalsha 1', 'hgetall 1'])
          for (const request of ['new session', 'read-only, touch due', 'write to an existing session', 'destroy'])
            expect(
              inside[request]?.filter((e) => e.startsWith('type ')),
              request,
            ).toEqual([])
        } finally {
          await tc.close()
        }
      })
    }
  }
})

/** Runs each kind of request through a real manager and counts what reached Redis. */
async function measureRequests(tc: TestClient, ports: readonly number[]): Promise<Row[]> {
  const counting = countCommands(tc.client)
  const clock = fakeClock(Date.now())
  const store = redisStore({ client: counting.client, prefix: `sess-rt:${randomUUID()}:` })
  const manager = createSessionManager({ secret: SECRET, store, idleTimeout: 3600, clock })
  const monitor = await monitorMasters(ports)
  try {
    return await measureWith(tc, store, manager, counting, clock, monitor)
  } finally {
    await monitor.close()
  }
}

async function measureWith(
  tc: TestClient,
  store: ReturnType<typeof redisStore>,
  manager: SessionManager,
  counting: CountingClient,
  clock: FakeClock,
  monitor: Monitor,
): Promise<Row[]> {
  // Steady state: every node has every script cached (a cold cache costs one EVAL more, measured last).
  for (const script of Object.values(scripts)) await tc.onEachMaster('SCRIPT', 'LOAD', script.source)

  const rows: Row[] = []
  const measure: MeasureRequest = async (request, load, handle) => {
    const [before, sent] = [await commandStats(tc), counting.sent]
    const start = await monitor.mark()
    const loaded = await load()
    const loadedAt = await monitor.mark()
    await handle?.(loaded!.session)
    const setCookie = loaded ? (await loaded.commit()).setCookie : []
    const end = await monitor.mark()
    const delta = statsDelta(before, await commandStats(tc))
    delta.delete('echo')
    rows.push({
      request,
      load: loadedAt - start,
      commit: end - loadedAt,
      sent: counting.sent - sent,
      executed: [...delta].map(([name, calls]) => `${name} ${calls}`).join(', '),
    })
    return setCookie
  }
  const newSession = await requestCostScenario({
    manager,
    clock,
    measure,
    touched: (cookie, setCookie) =>
      expect(setCookie[0]?.split(';')[0], 'a touched persistent session re-sends its cookie').toBe(cookie),
  })
  expect(await store.count()).toBe(1)
  const cold = await newSession()
  await tc.onEachMaster('SCRIPT', 'FLUSH')
  await measure(
    'first read after SCRIPT FLUSH (cold cache)',
    () => manager.load({ cookie: cold }),
    (s) => s.get('views' as never),
  )
  return rows
}

/**
 * MONITOR on every master, counting the commands clients sent. Commands a script runs are reported with the source
 * "lua" and not counted, so the count is what crossed the network.
 */
interface Monitor {
  /** Waits until every command sent so far has been seen; resolves to how many were counted. */
  mark(): Promise<number>
  close(): Promise<void>
}

async function monitorMasters(ports: readonly number[]): Promise<Monitor> {
  let received = 0
  const seen = new Set<string>()
  const connections = ports.map((port) => new Redis(port, '127.0.0.1', { retryStrategy: () => null }))
  const monitors = await Promise.all(connections.map((c) => c.monitor()))
  for (const c of [...connections, ...monitors]) c.on('error', () => {})
  for (const m of monitors) {
    m.on('monitor', (_time: string, args: string[], source: string) => {
      const name = String(args[0]).toLowerCase()
      if (name === 'echo') seen.add(String(args[1]))
      else if (source !== 'lua' && name !== 'info') received++
    })
  }
  return {
    // MONITOR output is asynchronous: an ECHO through each node marks the point up to which all has been seen.
    async mark() {
      const marks = await Promise.all(
        connections.map(async (c) => {
          const mark = randomUUID()
          await c.echo(mark)
          return mark
        }),
      )
      const deadline = Date.now() + 5000
      while (!marks.every((m) => seen.has(m)) && Date.now() < deadline) await sleep(2)
      return received
    },
    async close() {
      for (const m of monitors) m.disconnect()
      for (const c of connections) c.disconnect()
    },
  }
}
