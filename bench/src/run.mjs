// `pnpm bench`: sess against express-session, @fastify/session, hono-sessions and @hono/session, side by side.
//
// Every variant runs in its own server process (server.mjs) on a free loopback port; autocannon loads it from this
// process for a fixed time after a warm-up; the server measures its own CPU time over the window. Variants are
// interleaved (rotated each run and scenario) so machine drift hits them alike, and medians of the runs are reported.
// Before measuring, every variant is checked to serve every scenario correctly; after the returning-visitor writes,
// the increments are checked to have persisted. Any failure fails the run (exit code 1).
//
// Environment:
//   BENCH_DURATION   seconds of the saturated window per variant and scenario: req/s, latency (default 2; quick 1)
//   BENCH_WARMUP     warm-up seconds before each measurement (default 0.5; quick 0.2)
//   BENCH_RATE       if set, a second window at this fixed total req/s measures CPU per request, the same load for
//                    every variant (default: off; CPU per request comes from the full-speed window)
//   BENCH_RATE_DURATION  seconds of that window (default 1)
//   BENCH_RUNS       runs; servers are restarted for each (default 3; quick 1)
//   BENCH_CPU_ROUNDS paired CPU rounds per scenario and run after the timed windows (default 3; quick 1; 0: none)
//   BENCH_CPU_WINDOW seconds of each variant's turn in a CPU round, after 0.1 s unmeasured (default 0.25)
//   BENCH_PIN=0      no CPU pinning (default: load generator and servers on different cores, lib/pin.mjs)
//   BENCH_QUICK=1    smoke run (also --quick): 1 s, 1 run, writes RESULTS.quick.md instead of RESULTS.md
//   BENCH_CONNECTIONS  autocannon connections (default 10)
//   BENCH_POOL       returning-visitor sessions per variant (default 1000; quick 300)
//   BENCH_ONLY       regular expression on variant ids, e.g. 'hono' or 'bare|sess'
//   BENCH_SKIP       comma list of extra phases to skip: memory, micro, size
//   BENCH_OUT        report path (default bench/RESULTS.md)
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from './lib/child.mjs'
import { createPool, get, readCounters } from './lib/http.mjs'
import { load } from './lib/load.mjs'
import { pinLoadGenerator, pinningNote } from './lib/pin.mjs'
import { commandStats, controlClient, diffStats, monitor, total } from './lib/redis.mjs'
import { median, pool, sum } from './lib/stats.mjs'
import { renderReport, renderSummary } from './report.mjs'
import { applies, SCENARIO_ORDER, SCENARIOS, VARIANTS } from './variants.mjs'

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))
const ROOT = dirname(BENCH_DIR)
const env = process.env
const QUICK = env.BENCH_QUICK === '1' || process.argv.includes('--quick')
const num = (name, fallback) => {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name])
  if (!Number.isFinite(value) || value <= 0) throw new Error(`[bench] ${name} must be a positive number`)
  return value
}
const config = {
  quick: QUICK,
  duration: num('BENCH_DURATION', QUICK ? 1 : 2),
  warmup: num('BENCH_WARMUP', QUICK ? 0.2 : 0.5),
  rate: env.BENCH_RATE ? Math.round(num('BENCH_RATE', 0)) : 0,
  rateDuration: num('BENCH_RATE_DURATION', 1),
  runs: Math.round(num('BENCH_RUNS', QUICK ? 1 : 3)),
  cpuRounds: Math.round(num('BENCH_CPU_ROUNDS', QUICK ? 1 : 3)),
  cpuWindow: num('BENCH_CPU_WINDOW', 0.25),
  connections: Math.round(num('BENCH_CONNECTIONS', 10)),
  pool: Math.round(num('BENCH_POOL', QUICK ? 300 : 1000)),
  only: env.BENCH_ONLY || undefined,
  skip: new Set((env.BENCH_SKIP ?? '').split(',').filter(Boolean)),
}
const out = env.BENCH_OUT ?? join(BENCH_DIR, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md')
const variants = VARIANTS.filter((v) => !config.only || new RegExp(config.only).test(v.id))
if (variants.length === 0) throw new Error(`[bench] BENCH_ONLY=${config.only} matches no variant`)
const needsRedis = variants.some((v) => v.store === 'redis')
const needsPostgres = variants.some((v) => v.store === 'postgres')

const failures = []
const fail = (message) => {
  failures.push(message)
  console.error(`  ✗ ${message}`)
}
const log = (...args) => console.log(...args)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const started = Date.now()
process.setMaxListeners(64)

// ——— environment ———

function versionOf(name) {
  try {
    const pkg = JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8'))
    return pkg.version
  } catch {
    return 'unknown'
  }
}
function gitRevision() {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== ''
    return `${rev}${dirty ? ' (uncommitted changes)' : ''}`
  } catch {
    return 'unknown'
  }
}
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  pinning: pinningNote,
}
const packages = Object.fromEntries(
  [
    'express',
    'express-session',
    'connect-redis',
    'fastify',
    '@fastify/session',
    '@fastify/cookie',
    'hono',
    '@hono/node-server',
    'hono-sessions',
    '@hono/session',
    'redis',
    'connect-pg-simple',
    'pg',
    'autocannon',
    'mitata',
  ].map((name) => [name, versionOf(name)]),
)
let redisVersion = 'n/a'
let postgresVersion = 'n/a'

// ——— Redis ———

// From here on this process and what it starts (Redis, the extra phases) run on the load generator's core, the
// servers on another (lib/pin.mjs): a store server's work never lands on the core whose CPU time is measured.
pinLoadGenerator()
let redis
let control
if (needsRedis) {
  const { startRedisServer } = await import('@sess/testing')
  redis = await startRedisServer()
  control = await controlClient(redis.url)
  redisVersion = /redis_version:(\S+)/.exec(await control.info('server'))?.[1] ?? 'unknown'
}
// ——— PostgreSQL: the machine's server (PG_URL), in a schema of this run's own, dropped at the end ———

const pgUrl = env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
let pgAdmin
if (needsPostgres) {
  const { default: pg } = await import('pg')
  pgAdmin = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 })
  await pgAdmin.connect().catch((error) => {
    throw new Error(
      `[bench] PostgreSQL at PG_URL did not answer (${error.message}); start it, or leave out the -pg variants with BENCH_ONLY`,
    )
  })
  // Servers inherit the environment: their pools put this schema first on the search_path.
  env.BENCH_PG_SCHEMA = `sess_bench_${process.pid}_${Date.now()}`
  await pgAdmin.query(`CREATE SCHEMA "${env.BENCH_PG_SCHEMA}"`)
  postgresVersion = (await pgAdmin.query('SHOW server_version')).rows[0].server_version
}
const serviceUrl = (v) => (v.store === 'redis' ? redis.url : v.store === 'postgres' ? pgUrl : undefined)

const cleanup = async () => {
  await control?.quit().catch(() => {})
  await redis?.stop()
  if (pgAdmin) {
    await pgAdmin.query(`DROP SCHEMA IF EXISTS "${env.BENCH_PG_SCHEMA}" CASCADE`).catch(() => {})
    await pgAdmin.end().catch(() => {})
  }
}

log(
  `sess bench: ${variants.length} variants, ${config.runs} run(s) × (${config.warmup}s warm-up + ${config.duration}s` +
    `${config.rate ? ` + ${config.rateDuration}s at ${config.rate}/s` : ''}), ` +
    `${config.connections} connections, pool ${config.pool}${QUICK ? ' [quick]' : ''}`,
)
log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadavg}`)

// ——— per-run phases ———

async function startAll(run) {
  const servers = new Map()
  // Two at a time: starting a framework is CPU-bound and this machine has few cores.
  await pool(variants, 2, async (v) => {
    servers.set(v.id, await startServer(v.id, serviceUrl(v)))
  })
  log(`run ${run}: ${servers.size} servers up (${Math.round((Date.now() - started) / 1000)} s)`)
  return servers
}

/** Checks every scenario of a variant once, and samples its Set-Cookie headers. */
async function validate(v, server, cookies, samples) {
  const o = server.origin
  const expect = (cond, what) => {
    if (!cond) fail(`${v.id}: ${what}`)
    return cond
  }
  const sample = (scenario, r) => {
    const s = (samples[`${v.id}:${scenario}`] ??= { responses: 0, setCookie: 0, bytes: 0 })
    s.responses++
    s.setCookie += r.setCookie.length
    s.bytes += r.cookieBytes
  }
  if (v.kind === 'bare') {
    for (const [scenario, path] of [
      [0, '/bare'],
      [1, '/untouched'],
      [2, '/write'],
      [3, '/read'],
      [4, '/write'],
    ]) {
      for (let i = 0; i < 3; i++) {
        const r = await get(o, path, scenario >= 3 ? cookies?.[i] : undefined)
        expect(
          r.status === 200 && r.body?.n === 0,
          `S${scenario} ${path} answered ${r.status} ${JSON.stringify(r.body)}`,
        )
        expect(r.setCookie.length === 0, `S${scenario} ${path}: the bare route sent a cookie`)
        sample(scenario, r)
      }
    }
    return
  }
  for (let i = 0; i < 3; i++) {
    const r = await get(o, '/untouched')
    expect(r.status === 200 && r.body?.n === 0, `S1 /untouched answered ${r.status} ${JSON.stringify(r.body)}`)
    sample(1, r)
  }
  for (let i = 0; i < 3; i++) {
    const r = await get(o, '/write')
    expect(
      r.status === 200 && r.body?.n === 1,
      `S2 /write (new visitor) answered ${r.status} ${JSON.stringify(r.body)}`,
    )
    expect(r.setCookie.length > 0, 'S2 /write (new visitor) sent no Set-Cookie')
    sample(2, r)
    const again = await get(o, '/read', r.next)
    expect(again.body?.n === 1, `S2 new session not persisted: reading it back gave ${JSON.stringify(again.body)}`)
  }
  for (let i = 0; i < 5; i++) {
    const r = await get(o, '/read', cookies[i])
    expect(
      r.status === 200 && typeof r.body?.n === 'number' && r.body.n >= 1,
      `S3 /read of a pool session answered ${r.status} ${JSON.stringify(r.body)}`,
    )
    sample(3, r)
  }
  for (let i = 5; i < 10; i++) {
    const before = (await get(o, '/read', cookies[i])).body?.n
    const r = await get(o, '/write', cookies[i])
    expect(
      r.status === 200 && r.body?.n === before + 1,
      `S4 /write of a pool session: ${before} became ${JSON.stringify(r.body)}`,
    )
    sample(4, r)
    // A stateless session carries the new value in the new cookie; a stored one must have it server-side.
    addPoolWrites(v.id, 1)
    const after = await get(o, '/read', v.stateless ? r.next : cookies[i])
    expect(
      after.body?.n === before + 1,
      `S4 increment not persisted: ${before} → read back ${JSON.stringify(after.body)}`,
    )
  }
  if (v.destroy) {
    const created = await get(o, '/write')
    const gone = await get(o, '/destroy', created.next)
    expect(gone.status === 200, `/destroy answered ${gone.status}`)
    const after = await get(o, '/read', created.next)
    expect(after.body?.n === 0, `a destroyed session still reads ${JSON.stringify(after.body)}`)
  }
}

/**
 * Sends 20 requests per scenario one after another, outside the timed windows, each batch through `capture(key,
 * requests)` (which counts what the store was sent meanwhile); a destroy batch too where the variant has one.
 */
async function perScenario(v, server, cookies, capture) {
  const o = server.origin
  const n = 20
  await capture(
    1,
    Array.from({ length: n }, () => ['/untouched']),
  )
  await capture(
    2,
    Array.from({ length: n }, () => ['/write']),
  )
  await capture(
    3,
    cookies.slice(20, 20 + n).map((c) => ['/read', c]),
  )
  await capture(
    4,
    cookies.slice(40, 40 + n).map((c) => ['/write', c]),
  )
  addPoolWrites(v.id, n)
  if (v.destroy) {
    const fresh = []
    for (let i = 0; i < n; i++) fresh.push((await get(o, '/write')).next)
    await capture(
      'destroy',
      fresh.map((c) => ['/destroy', c]),
    )
  }
}

/** Counts Redis commands per request with MONITOR: what clients sent (round trips) and what scripts ran. */
async function countRedisCommands(v, server, cookies) {
  const result = {}
  await perScenario(v, server, cookies, async (key, requests) => {
    const m = await monitor(redis.port)
    for (const [path, cookie] of requests) await get(server.origin, path, cookie)
    const seen = await m.stop()
    result[key] = {
      requests: requests.length,
      client: Object.fromEntries(seen.client),
      script: Object.fromEntries(seen.script),
      clientPerRequest: total(seen.client) / requests.length,
      scriptPerRequest: total(seen.script) / requests.length,
    }
  })
  return result
}

/** Counts the PostgreSQL statements the app sent per request (its pool's query calls). */
async function countPgStatements(v, server, cookies) {
  const result = {}
  const statements = async () => (await server.ask({ type: 'statements' }, 'statements')).count
  await perScenario(v, server, cookies, async (key, requests) => {
    const before = await statements()
    for (const [path, cookie] of requests) await get(server.origin, path, cookie)
    result[key] = { requests: requests.length, perRequest: ((await statements()) - before) / requests.length }
  })
  return result
}

/**
 * One variant's turn in a CPU round: server CPU µs per request over a short window at full speed (or at BENCH_RATE).
 * The rounds alternate every variant of a scenario several times, so a variant and its bare route are measured
 * seconds apart and a slow spell of the host moves both: CPU over bare is the median of the per-round differences.
 */
async function cpuTurn(scenario, server, cookies) {
  const pooled = SCENARIOS[scenario].cookie === 'pool'
  const options = {
    origin: server.origin,
    path: SCENARIOS[scenario].path,
    connections: config.connections,
    cookies: pooled ? cookies : undefined,
    rate: config.rate > 0 ? config.rate : undefined,
  }
  // A server idle for a while (the other variants' turns) first pays for new connections and for V8 waking up
  // (idle-time GC shrinks the heap): an unmeasured moment of load before the measured window.
  await load({ ...options, seconds: 0.1 })
  await server.ask({ type: 'start' }, 'started')
  await load({ ...options, seconds: config.cpuWindow })
  const window = await server.ask({ type: 'stop' }, 'stopped')
  return window.requests > 0 ? window.cpuUs / window.requests : undefined
}

async function measure(v, scenario, server, cookies, run) {
  const path = SCENARIOS[scenario].path
  const pooled = SCENARIOS[scenario].cookie === 'pool'
  const loadOptions = {
    origin: server.origin,
    path,
    connections: config.connections,
    cookies: pooled ? cookies : undefined,
  }
  const persisted = scenario === 4 && !v.stateless && v.kind !== 'bare'
  const counts0 = persisted ? (await server.ask({ type: 'counts' }, 'counts')).byPath : undefined
  await load({ ...loadOptions, seconds: config.warmup })
  const stats0 = v.store === 'redis' ? await commandStats(control) : undefined
  const pg = v.store === 'postgres' ? () => server.ask({ type: 'statements' }, 'statements') : undefined
  const statements0 = await pg?.()
  await server.ask({ type: 'start' }, 'started')
  const result = await load({ ...loadOptions, seconds: config.duration })
  const window = await server.ask({ type: 'stop' }, 'stopped')
  const statements1 = await pg?.()
  const stats1 = v.store === 'redis' ? await commandStats(control) : undefined
  // Optionally, CPU per request at one fixed rate for every variant: at full speed a slower server also pays more per
  // request for waking up and for network system calls, which is not the session library's cost.
  let fixedWindow
  if (config.rate > 0) {
    await server.ask({ type: 'start' }, 'started')
    const fixed = await load({ ...loadOptions, seconds: config.rateDuration, rate: config.rate })
    fixedWindow = await server.ask({ type: 'stop' }, 'stopped')
    if (fixed.errors + fixed.timeouts + fixed.non2xx > 0) {
      fail(
        `${v.id} S${scenario} run ${run}: fixed-rate window had ${fixed.non2xx} non-2xx, ${fixed.errors} errors, ${fixed.timeouts} timeouts`,
      )
    }
  }
  const cpuWindow = fixedWindow ?? window
  const errors = result.errors + result.timeouts + result.non2xx
  if (errors > 0) {
    fail(
      `${v.id} S${scenario} run ${run}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total}`,
    )
  }
  const sample = {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: cpuWindow.requests > 0 ? cpuWindow.cpuUs / cpuWindow.requests : undefined,
    userUs: cpuWindow.requests > 0 ? cpuWindow.userUs / cpuWindow.requests : undefined,
    fixedRate: fixedWindow ? fixedWindow.requests / (fixedWindow.wallMs / 1000) : undefined,
    cpuUsSaturated: window.requests > 0 ? window.cpuUs / window.requests : undefined,
    serverRequests: window.requests,
    clientRequests: result.requests.total,
  }
  if (statements0) sample.pgPerRequest = (statements1.count - statements0.count) / window.requests
  if (stats0) {
    const delta = diffStats(stats0, stats1)
    sample.redisPerRequest = total(delta) / window.requests
    sample.redisByCommand = Object.fromEntries([...delta].map(([k, n]) => [k, n / window.requests]))
  }
  if (persisted) {
    await sleep(100)
    const counts1 = (await server.ask({ type: 'counts' }, 'counts')).byPath
    const writes = (counts1['/write'] ?? 0) - (counts0['/write'] ?? 0)
    const values = await readCounters(server.origin, cookies, 32)
    const lost = values.filter((x) => x < 1).length
    if (lost > 0) fail(`${v.id}: run ${run}: ${lost} pool sessions lost by the end of S4`)
    // Every pool session started at 1; the parent's own writes to pool sessions are counted in poolWrites.
    const increments = sum(values) - cookies.length - (poolWrites.get(v.id) ?? 0)
    poolWrites.set(v.id, (poolWrites.get(v.id) ?? 0) + writes)
    sample.persisted = { writes, increments }
    // Requests cut off by the end of the load may or may not have been written; nothing else may differ.
    if (Math.abs(increments - writes) > config.connections) {
      fail(`${v.id}: run ${run}: ${writes} returning-visitor writes served but the counters grew by ${increments}`)
    }
  }
  return sample
}

// ——— main ———

const raw = {} // `${variant}:${scenario}` → samples
const poolWrites = new Map() // variant → writes this process made to pool sessions (validation, MONITOR counts)
const addPoolWrites = (id, n) => poolWrites.set(id, (poolWrites.get(id) ?? 0) + n)
const redisCounts = {} // variant → MONITOR counts
const pgCounts = {} // variant → PostgreSQL statements per request, by scenario
const cookieSamples = {}
try {
  for (let run = 1; run <= config.runs; run++) {
    if (control) await control.flushAll()
    poolWrites.clear()
    const servers = await startAll(run)
    try {
      const cookies = new Map()
      await pool(
        variants.filter((v) => v.kind !== 'bare'),
        2,
        async (v) => cookies.set(v.id, await createPool(servers.get(v.id).origin, config.pool)),
      )
      // The bare route gets the cookies of its framework's sess variant: same headers, ignored.
      for (const v of variants.filter((x) => x.kind === 'bare')) {
        const donor = variants.find((x) => x.framework === v.framework && cookies.has(x.id))
        if (donor) cookies.set(v.id, cookies.get(donor.id))
      }
      for (const v of variants) {
        await validate(v, servers.get(v.id), cookies.get(v.id), run === 1 ? cookieSamples : {})
        if (run === 1 && v.store === 'redis')
          redisCounts[v.id] = await countRedisCommands(v, servers.get(v.id), cookies.get(v.id))
        if (run === 1 && v.store === 'postgres')
          pgCounts[v.id] = await countPgStatements(v, servers.get(v.id), cookies.get(v.id))
      }
      log(
        `run ${run}: pools created, every variant validated${failures.length ? ` (${failures.length} failure(s))` : ''} (${Math.round((Date.now() - started) / 1000)} s)`,
      )
      for (const [k, scenario] of SCENARIO_ORDER.entries()) {
        const list = variants.filter((v) => applies(v, SCENARIOS[scenario]))
        const shift = (run - 1 + k) % list.length
        const order = [...list.slice(shift), ...list.slice(0, shift)]
        for (const v of order) {
          const sample = await measure(v, scenario, servers.get(v.id), cookies.get(v.id), run)
          ;(raw[`${v.id}:${scenario}`] ??= []).push(sample)
          log(
            `  run ${run} S${scenario} ${v.id.padEnd(26)} ${sample.rps.toFixed(0).padStart(6)} req/s  ` +
              `p99 ${String(sample.p99).padStart(3)} ms  ${sample.cpuUs?.toFixed(0).padStart(5)} µs CPU/req` +
              (sample.fixedRate
                ? ` at ${Math.round(sample.fixedRate)}/s, ${sample.cpuUsSaturated?.toFixed(0)} at max`
                : '') +
              (sample.redisPerRequest !== undefined ? `  ${sample.redisPerRequest.toFixed(2)} redis cmds/req` : '') +
              (sample.pgPerRequest !== undefined ? `  ${sample.pgPerRequest.toFixed(2)} pg statements/req` : ''),
          )
        }
        // In-process variants first, then Redis, then PostgreSQL (rotated within each group), with a pause after a
        // turn that used a database server: its processes are not pinned and finish their work (WAL, replies) on
        // any core for a moment after the load stops, which would land on the next variant's turn.
        // One framework at a time, so a server waits seconds, not a minute, between its turns.
        const external = (v) => (v.store === 'redis' ? 1 : v.store === 'postgres' ? 2 : 0)
        const rotate = (g, n) => [...g.slice(n % (g.length || 1)), ...g.slice(0, n % (g.length || 1))]
        for (const framework of new Set(list.map((v) => v.framework))) {
          const mine = list.filter((v) => v.framework === framework)
          for (let round = 0; round < config.cpuRounds; round++) {
            const groups = [0, 1, 2].map((g) => mine.filter((v) => external(v) === g))
            for (const v of groups.flatMap((g) => rotate(g, round))) {
              const sample = raw[`${v.id}:${scenario}`].at(-1)
              ;(sample.cpuRounds ??= []).push(await cpuTurn(scenario, servers.get(v.id), cookies.get(v.id)))
              if (external(v) > 0) await sleep(300)
            }
          }
        }
        if (config.cpuRounds > 0) {
          const line = list.map((v) => `${v.id} ${median(raw[`${v.id}:${scenario}`].at(-1).cpuRounds).toFixed(0)}`)
          log(`  run ${run} S${scenario} CPU rounds (median µs/req): ${line.join(', ')}`)
        }
      }
    } finally {
      await Promise.all([...servers.values()].map((s) => s.stop()))
    }
  }
} finally {
  await cleanup()
}

// ——— extra phases, each in its own process ———

function nodeJson(script, args = [], execArgv = []) {
  const r = spawnSync(process.execPath, [...execArgv, join(BENCH_DIR, 'src', script), ...args], {
    encoding: 'utf8',
    cwd: BENCH_DIR,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...env, NODE_ENV: 'production' },
  })
  if (r.status !== 0) throw new Error(`[bench] ${script} failed (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout)
}

let memory
if (!config.skip.has('memory')) {
  log(`memory: bytes per session at ${QUICK ? '20k' : '100k'} sessions`)
  memory = nodeJson('memory.mjs', [String(QUICK ? 20_000 : 100_000)], ['--expose-gc'])
}
let size
if (!config.skip.has('size')) {
  const script = join(ROOT, 'scripts/bundle-size.mjs')
  const r = spawnSync(process.execPath, [script, '--json'], { encoding: 'utf8', cwd: ROOT })
  if (r.error?.code === 'ENOENT' || (r.status !== 0 && /Cannot find module/.test(r.stderr))) {
    size = { skipped: `${relative(ROOT, script)} is not there yet` }
  } else {
    try {
      size = JSON.parse(r.stdout)
    } catch {
      size = { skipped: `${relative(ROOT, script)} failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}` }
    }
  }
}
let micro
if (!config.skip.has('micro')) {
  log('micro: core sign / verify / load + commit (mitata)')
  micro = nodeJson('micro.mjs', QUICK ? ['--quick'] : [])
}

const results = {
  date: new Date().toISOString(),
  elapsedSeconds: Math.round((Date.now() - started) / 1000),
  command: QUICK ? 'BENCH_QUICK=1 pnpm bench' : 'pnpm bench',
  config: { ...config, skip: [...config.skip] },
  machine,
  packages,
  redisVersion,
  postgresVersion,
  revision: gitRevision(),
  variants,
  raw,
  redisCounts,
  pgCounts,
  cookieSamples,
  memory,
  size,
  micro,
  failures,
}
writeFileSync(join(BENCH_DIR, QUICK ? 'results.quick.json' : 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(out, renderReport(results))
log('')
log(renderSummary(results))
log(`report: ${relative(process.cwd(), out)} (${results.elapsedSeconds} s)`)
if (failures.length > 0) {
  console.error(`\n[bench] FAILED: ${failures.length} correctness check(s) failed:\n  ${failures.join('\n  ')}`)
  process.exit(1)
}
