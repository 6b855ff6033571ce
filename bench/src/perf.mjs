// Where a server's CPU goes, by JavaScript function, from the kernel's sampler: `node src/perf.mjs <scenario 0-4>
// <variant> [variant ...]`, e.g. `node src/perf.mjs 3 express-bare express-sess-memory`; `<variant>@<checkout>` runs it
// from another checkout (built there first), as in ab.mjs.
// Each variant's server runs with --perf-basic-prof (JIT code named); after a warm-up, `perf record -e cpu-clock -g`
// samples it (every thread) while the load generator sends BENCH_RATE req/s (default 2000) for BENCH_DURATION s
// (default 5), BENCH_RUNS times (default 3) in a rotated order. Each sample is charged to the innermost JavaScript
// frame on its stack, so the runtime, the builtins, IC misses and the collections a function triggers count for the
// function that called them (V8's own profiler charges those elsewhere, and its line ticks lean towards safepoints);
// samples with no JavaScript frame are grouped as GC, kernel or native. Prints µs per request, averaged over the
// runs, for the top BENCH_TOP (40) functions, each variant side by side with the first. Needs `perf`
// (apt-get install linux-perf) and a kernel that lets it sample (perf_event_paranoid ≤ 2 for one's own processes).
import { execFile, execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, variantFromSpec } from './lib/child.mjs'
import { createPool } from './lib/http.mjs'
import { load } from './lib/load.mjs'
import { pinLoadGenerator } from './lib/pin.mjs'
import { SCENARIOS } from './variants.mjs'

const FREQUENCY = 4000
const [scenarioArg, ...ids] = process.argv.slice(2)
const scenario = SCENARIOS[Number(scenarioArg)]
const variants = ids.map(variantFromSpec)
if (
  !scenario ||
  variants.length === 0 ||
  variants.some((v) => v === undefined || (v.store !== 'none' && v.store !== 'memory' && v.store !== 'cookie'))
) {
  console.error('usage: node src/perf.mjs <scenario 0-4> <in-memory variant...>')
  process.exit(2)
}
const seconds = Number(process.env.BENCH_DURATION ?? 5)
const rate = Number(process.env.BENCH_RATE ?? 2000)
const runs = Number(process.env.BENCH_RUNS ?? 3)
const top = Number(process.env.BENCH_TOP ?? 40)

/** µs per request by function, one Map per variant, summed over the runs (divided at the end). */
const costs = variants.map(() => new Map())
const totals = variants.map(() => 0)

pinLoadGenerator()
const pools = new Map()
for (let run = 0; run < runs; run++) {
  for (let i = 0; i < variants.length; i++) {
    const index = (i + run) % variants.length
    const v = variants[index]
    const server = await startServer(v.id, undefined, {
      execArgv: ['--perf-basic-prof'],
      ...(v.server ? { server: v.server } : {}),
    })
    try {
      const own = v.kind !== 'bare' && v.kind !== 'floor'
      let cookies
      // A bare route or floor gets the headers of its framework's session variant (as run.mjs does).
      if (scenario.cookie === 'pool' && own) cookies = await createPool(server.origin, 1000)
      else if (scenario.cookie === 'pool') cookies = pools.get(v.framework)
      if (own && cookies) pools.set(v.framework, cookies)
      const options = { origin: server.origin, path: scenario.path, connections: 10, cookies }
      await load({ ...options, seconds: 2 })
      const data = join(tmpdir(), `sess-perf-${process.pid}-${index}.data`)
      const recording = new Promise((resolve, reject) =>
        execFile(
          'perf',
          // Records for as long as the `sleep` runs: the measured window.
          [
            'record',
            '-q',
            '-g',
            '-e',
            'cpu-clock',
            '-F',
            String(FREQUENCY),
            '-o',
            data,
            '-p',
            String(server.pid),
          ].concat(['--', 'sleep', String(seconds)]),
          (error) => (error ? reject(error) : resolve()),
        ),
      )
      await server.ask({ type: 'start' }, 'started')
      await load({ ...options, seconds, rate })
      const window = await server.ask({ type: 'stop' }, 'stopped')
      await recording
      const perRequest = 1e6 / FREQUENCY / window.requests
      for (const [name, samples] of byInnermostJsFrame(data)) {
        costs[index].set(name, (costs[index].get(name) ?? 0) + samples * perRequest)
        totals[index] += samples * perRequest
      }
      rmSync(data, { force: true })
    } finally {
      await server.stop()
      rmSync(`/tmp/perf-${server.pid}.map`, { force: true })
    }
  }
}

console.log(
  `S${scenario.id} ${scenario.name} at ${rate} req/s: µs of CPU per request by innermost JS frame, mean of ${runs} × ${seconds} s`,
)
console.log(variants.map((v, i) => `${v.label} ${(totals[i] / runs).toFixed(1)}`).join(' | '))
const names = new Set(costs.flatMap((m) => [...m.keys()]))
const rows = [...names]
  .map((name) => ({ name, values: costs.map((m) => (m.get(name) ?? 0) / runs) }))
  .sort((a, b) => Math.max(...b.values) - Math.max(...a.values))
  .slice(0, top)
for (const { name, values } of rows) {
  const [first, ...rest] = values
  const others = rest.map((x) => `${x.toFixed(2).padStart(7)} (${x - first >= 0 ? '+' : ''}${(x - first).toFixed(2)})`)
  console.log(`${first.toFixed(2).padStart(7)} ${others.join(' ')}  ${name}`)
}

/** Samples per function: each sample's innermost JS frame, or a coarse group for samples without one. */
function byInnermostJsFrame(data) {
  const script = execFileSync('perf', ['script', '-i', data, '-F', 'ip,sym'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const counts = new Map()
  for (const block of script.split('\n\n')) {
    const frames = block
      .split('\n')
      .map((line) => line.trim().replace(/^[0-9a-f]+\s+/, ''))
      .filter(Boolean)
    if (frames.length === 0) continue
    const js = frames.find((f) => f.startsWith('JS:') || f.startsWith('RegExp:'))
    const name = js ? shorten(js) : `(no JS) ${group(frames)}`
    counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return counts
}

function group(frames) {
  const text = frames.join(' ')
  if (/Scaveng|MarkCompact|Sweeper|ConcurrentMarking|Heap::|GCTracer|Evacuat/.test(text)) return 'GC'
  if (/\[unknown\]|kallsyms|entry_SYSCALL|do_syscall|tcp_|ep_poll/.test(text) || /^[a-z_]+$/.test(frames[0]))
    return 'kernel'
  return frames[0].slice(0, 60)
}

/** A JIT code name without its checkout and pnpm store prefixes. */
function shorten(name) {
  return (
    name
      .replace(/^JS:[*^~+]?/, '')
      // Without line and column, so that two checkouts' builds of a function compare.
      .replace(/:\d+:\d+$/, '')
      .replace(/\/[^ ]*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
      .replace(/file:\/\/\/[^ ]*\/packages\//, 'packages/')
      .replace(/file:\/\/\/[^ ]*\/bench\//, 'bench/')
  )
}
