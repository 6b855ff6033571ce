// Profiles one variant in one scenario: `node src/profile.mjs <variant-id> <scenario 0-4> [seconds]`.
// Starts the variant's server like run.mjs does, warms it up, then records a V8 CPU profile (node:inspector inside
// the server, only over the measured window), writes it to bench/profiles/<variant>-s<scenario>.cpuprofile (open it
// in Chrome DevTools or speedscope) and prints the functions and packages with the most self time.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from './lib/child.mjs'
import { createPool } from './lib/http.mjs'
import { load } from './lib/load.mjs'
import { FLOORS, SCENARIOS, VARIANTS } from './variants.mjs'

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))
const [id, scenarioArg = '3', secondsArg = '5'] = process.argv.slice(2)
const variant = [...VARIANTS, ...FLOORS].find((v) => v.id === id)
const scenario = SCENARIOS[Number(scenarioArg)]
if (!variant || !scenario) {
  console.error(
    `usage: node src/profile.mjs <variant> <scenario 0-4> [seconds]\nvariants: ${[...VARIANTS, ...FLOORS].map((v) => v.id).join(', ')}`,
  )
  process.exit(2)
}

let redis
if (variant.store === 'redis') {
  const { startRedisServer } = await import('@sess/testing')
  redis = await startRedisServer()
}
const server = await startServer(id, redis?.url)
try {
  const cookies =
    scenario.cookie === 'pool' && variant.kind !== 'bare' && variant.kind !== 'floor'
      ? await createPool(server.origin, 1000)
      : undefined
  const options = { origin: server.origin, path: scenario.path, connections: 10, cookies }
  await load({ ...options, seconds: 1 })
  await server.ask({ type: 'profile-start' }, 'profile-started')
  await server.ask({ type: 'start' }, 'started')
  const result = await load({ ...options, seconds: Number(secondsArg) })
  const window = await server.ask({ type: 'stop' }, 'stopped')
  const { profile } = await server.ask({ type: 'profile-stop' }, 'profile')
  mkdirSync(join(BENCH_DIR, 'profiles'), { recursive: true })
  const file = join(BENCH_DIR, 'profiles', `${id}-s${scenario.id}.cpuprofile`)
  writeFileSync(file, profile)
  console.log(
    `${id} S${scenario.id} ${scenario.name}: ${Math.round(result.requests.total / result.duration)} req/s, ` +
      `${(window.cpuUs / window.requests).toFixed(1)} µs CPU/req (profiler on: slower than a plain run)`,
  )
  summarize(JSON.parse(profile), window.requests)
  console.log(`profile: ${file}`)
} finally {
  await server.stop()
  await redis?.stop()
}

/** Self time per function and per package (or Node internals), as µs per request. */
function summarize(profile, requests) {
  const self = new Map()
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]))
  const dt = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const totalUs = [...dt.values()].reduce((a, b) => a + b, 0)
  const byPackage = new Map()
  for (const [nodeId, us] of dt) {
    const node = byNode.get(nodeId)
    const f = node.callFrame
    const where = place(f.url)
    const key = `${f.functionName || '(anonymous)'}  ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`
    self.set(key, (self.get(key) ?? 0) + us)
    const pkg = f.url ? where.split(' ')[0] : f.functionName
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us)
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) =>
          `  ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${(us / requests).toFixed(2).padStart(7)} µs/req  ${k}`,
      )
  console.log('\nself time by package / area:')
  console.log(top(byPackage, 15).join('\n'))
  console.log('\nself time by function:')
  console.log(top(self, 30).join('\n'))
}

function place(url) {
  if (!url) return ''
  if (url.startsWith('node:')) return url
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url)
  if (pnpm) return `${pnpm[1]} ${pnpm[2]}`
  const ws = /\/(packages|bench)\/([^/]+)\/(.*)$/.exec(url)
  if (ws) return ws[1] === 'bench' ? `bench ${ws[2]}/${ws[3]}` : `@sess/${ws[2]} ${ws[3]}`
  return url
}
