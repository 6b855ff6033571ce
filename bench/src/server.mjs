// One variant's server, forked by run.mjs: `node server.mjs <variant-id> [redis-or-postgres-url]`. Listens on a free
// loopback port, reports it over IPC, and answers control messages:
//   { type: 'start' }          begin a measured window: snapshot process.cpuUsage() and zero the request count
//   { type: 'stop' }           end it: reply with CPU µs, requests and wall time of the window
//   { type: 'counts' }         cumulative requests per path
//   { type: 'statements' }     cumulative PostgreSQL statements the app sent (pool.query calls, whoever made them)
//   { type: 'profile-start' }  start the V8 CPU profiler (node:inspector); 'profile-stop' replies with the profile
import { Session } from 'node:inspector/promises'
import { FLOORS, VARIANTS } from './variants.mjs'

const [id, serviceUrl] = process.argv.slice(2)
const redisUrl = serviceUrl
const variant = [...VARIANTS, ...FLOORS].find((v) => v.id === id)
if (!variant) throw new Error(`[bench] unknown variant ${id}`)

let client
let pgPool
let statements = 0
const ctx = {
  /** A pg Pool in the run's own schema (BENCH_PG_SCHEMA) that counts every statement sent through it. */
  async postgres() {
    if (!serviceUrl) throw new Error(`[bench] variant ${id} needs PostgreSQL but no URL was given`)
    const { default: pg } = await import('pg')
    const schema = process.env.BENCH_PG_SCHEMA
    pgPool = new pg.Pool({
      connectionString: serviceUrl,
      max: 10,
      options: schema ? `-c search_path=${schema}` : undefined,
    })
    pgPool.on('error', (error) => console.error(`[bench] ${id} postgres:`, error.message))
    const query = pgPool.query
    pgPool.query = function (...args) {
      statements++
      return query.apply(this, args)
    }
    return pgPool
  },
  async redis() {
    if (!redisUrl) throw new Error(`[bench] variant ${id} needs Redis but no URL was given`)
    const { createClient } = await import('redis')
    client = createClient({ url: redisUrl })
    client.on('error', (error) => console.error(`[bench] ${id} redis:`, error.message))
    await client.connect()
    return client
  },
}

const { apps } = await import(`./apps/${variant.framework}.mjs`)
const server = await apps[id](ctx)

let requests = 0
const byPath = Object.create(null)
// Listeners run in order and this one is cheap; every variant pays it alike.
server.prependListener('request', (req) => {
  requests++
  const q = req.url.indexOf('?')
  const path = q === -1 ? req.url : req.url.slice(0, q)
  byPath[path] = (byPath[path] ?? 0) + 1
})

let window
let profiler
process.on('message', async (message) => {
  switch (message.type) {
    case 'start':
      window = { cpu: process.cpuUsage(), requests, at: process.hrtime.bigint() }
      process.send({ type: 'started' })
      break
    case 'stop': {
      const cpu = process.cpuUsage(window.cpu)
      process.send({
        type: 'stopped',
        cpuUs: cpu.user + cpu.system,
        userUs: cpu.user,
        systemUs: cpu.system,
        requests: requests - window.requests,
        wallMs: Number(process.hrtime.bigint() - window.at) / 1e6,
      })
      break
    }
    case 'counts':
      process.send({ type: 'counts', byPath: { ...byPath }, rss: process.memoryUsage().rss })
      break
    case 'statements':
      process.send({ type: 'statements', count: statements })
      break
    case 'profile-start':
      profiler = new Session()
      profiler.connect()
      await profiler.post('Profiler.enable')
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 })
      await profiler.post('Profiler.start')
      process.send({ type: 'profile-started' })
      break
    case 'profile-stop': {
      const { profile } = await profiler.post('Profiler.stop')
      profiler.disconnect()
      process.send({ type: 'profile', profile: JSON.stringify(profile) })
      break
    }
    case 'exit':
      server.closeAllConnections?.()
      server.close()
      await client?.quit().catch(() => {})
      await pgPool?.end().catch(() => {})
      process.exit(0)
  }
})

const address = server.address()
process.send({ type: 'ready', port: address.port, pid: process.pid })
