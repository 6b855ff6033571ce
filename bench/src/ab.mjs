// A quick A/B of a few variants in one scenario, for perf work between full runs:
//   node src/ab.mjs <scenario 0-4> <variant> [variant ...]
// A variant written `<id>@<checkout>` runs from another checkout's bench/src/server.mjs (built there first), to
// compare revisions side by side in one run: `node src/ab.mjs 3 hono-bare hono-sess-memory hono-sess-memory@/tmp/old`.
// Each variant's server is started once; then, for BENCH_RUNS rounds (default 3), every variant in a rotated order
// gets a full-speed window (req/s, CPU µs per request) and a fixed-rate window (CPU µs per request at
// BENCH_RATE req/s, default 2000: the same load for all, so the figure does not move with the variant's speed).
// A bare variant answers the same path without a session. Prints the medians.
// Knobs: BENCH_DURATION (s, default 2), BENCH_RATE (0 skips the fixed-rate window), BENCH_RUNS, BENCH_CONNECTIONS (10),
// BENCH_POOL (returning visitors rotate over this many sessions, default 1000).
import { startServer, variantFromSpec } from './lib/child.mjs'
import { createPool } from './lib/http.mjs'
import { load } from './lib/load.mjs'
import { pinLoadGenerator } from './lib/pin.mjs'
import { median } from './lib/stats.mjs'
import { FLOORS, SCENARIOS, VARIANTS } from './variants.mjs'

const [scenarioArg, ...ids] = process.argv.slice(2)
const scenario = SCENARIOS[Number(scenarioArg)]
const variants = ids.map(variantFromSpec)
if (!scenario || variants.length === 0 || variants.some((v) => v === undefined)) {
  console.error(
    `usage: node src/ab.mjs <scenario 0-4> <variant...>\nvariants: ${[...VARIANTS, ...FLOORS].map((v) => v.id).join(', ')}`,
  )
  process.exit(2)
}
const seconds = Number(process.env.BENCH_DURATION ?? 2)
const rate = Number(process.env.BENCH_RATE ?? 2000)
const runs = Number(process.env.BENCH_RUNS ?? 3)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)

pinLoadGenerator()
let redis
if (variants.some((v) => v.store === 'redis')) {
  const { startRedisServer } = await import('@sess/testing')
  redis = await startRedisServer()
}
const servers = []
try {
  const pools = new Map()
  // Session variants first: a bare route (or a floor) gets the cookies of its framework's first session variant,
  // the same headers, ignored (as run.mjs does), so that parsing them is not counted as the session's cost.
  const ordered = [...variants].sort(
    (a, b) => Number(a.kind === 'bare' || a.kind === 'floor') - Number(b.kind === 'bare' || b.kind === 'floor'),
  )
  for (const v of ordered) {
    const server = await startServer(v.id, redis?.url, v.server ? { server: v.server } : {})
    const own = v.kind !== 'bare' && v.kind !== 'floor'
    let cookies
    if (scenario.cookie === 'pool' && own)
      cookies = await createPool(server.origin, Number(process.env.BENCH_POOL ?? 1000))
    else if (scenario.cookie === 'pool') cookies = pools.get(v.framework)
    if (own && !pools.has(v.framework)) pools.set(v.framework, cookies)
    const options = { origin: server.origin, path: scenario.path, connections, cookies }
    await load({ ...options, seconds: 1 })
    servers[variants.indexOf(v)] = {
      id: v.label,
      bare: v.kind === 'bare',
      server,
      options,
      max: [],
      cpuMax: [],
      cpuRate: [],
    }
  }
  const window = async (s, extra) => {
    await s.server.ask({ type: 'start' }, 'started')
    const result = await load({ ...s.options, seconds, ...extra })
    const w = await s.server.ask({ type: 'stop' }, 'stopped')
    return { rps: result.requests.total / result.duration, cpu: w.cpuUs / w.requests }
  }
  for (let run = 0; run < runs; run++) {
    const order = servers.map((_, i) => servers[(i + run) % servers.length])
    for (const s of order) {
      const max = await window(s, {})
      s.max.push(max.rps)
      s.cpuMax.push(max.cpu)
      if (rate > 0) s.cpuRate.push((await window(s, { rate })).cpu)
    }
  }
  console.log(`S${scenario.id} ${scenario.name}: medians of ${runs} × ${seconds}s`)
  // Over bare: the median of the per-round differences against the bare variant's window of the same round, so that
  // the machine's drift between rounds cancels (the absolute figures can move by 2× on a shared host).
  const bare = servers.find((s) => s.bare)
  const over = (s, key) =>
    bare && s !== bare ? ` (+${median(s[key].map((cpu, i) => cpu - bare[key][i])).toFixed(1)})` : ''
  for (const s of servers) {
    const rateText = rate > 0 ? `, ${median(s.cpuRate).toFixed(1)}${over(s, 'cpuRate')} µs CPU/req at ${rate}/s` : ''
    console.log(
      `${s.id.padEnd(28)} ${Math.round(median(s.max)).toString().padStart(6)} req/s, ${median(s.cpuMax).toFixed(1)}${over(s, 'cpuMax')} µs CPU/req at max${rateText}`,
    )
  }
} finally {
  for (const s of servers) await s.server.stop()
  await redis?.stop()
}
