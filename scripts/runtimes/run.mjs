// `pnpm test:runtimes`: core's unit tests and the Hono end-to-end tests on Node 20 (this machine's), Node 22 and 24,
// Bun, Deno and workerd, each runtime installed from the npm registry into a gitignored cache (install.mjs). The
// end-to-end columns: `memory` (signed id, memory store), `sealed` (sealed-cookie mode, no store) and `kv` (a store
// that outlives the process: unstorage's fs driver on Node and Bun, Deno KV on Deno, and on workerd the
// examples/hono-workers Worker with Workers KV). The `sqlite` column runs @sess/store-sqlite's conformance suite on
// the SQLite of each runtime that has one: better-sqlite3 on Node 20, bun:sqlite on Bun, Cloudflare D1 on workerd.
//
//   node scripts/runtimes/run.mjs [--only=node22,bun] [--columns=core,memory,sealed,kv,sqlite] [--verbose] [--no-build]
//
// Exits non-zero when any test fails, a runtime cannot start, or a runtime runs fewer core tests than Node 20.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runE2E, runKvE2E, runSealedE2E } from './e2e.mjs'
import { CACHE_DIR, ensureRuntimes, ROOT, VERSIONS } from './install.mjs'

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    columns: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
})

const CORE = join(ROOT, 'packages/core')
const HONO = join(ROOT, 'packages/hono')
const WORKERS_EXAMPLE = join(ROOT, 'examples/hono-workers')
const SQLITE_STORE = join(ROOT, 'packages/store-sqlite')
const OUT = join(HONO, '.tmp/runtimes')
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs')
const CORE_COUNT = 'core tests'
const MEMORY = 'memory e2e'
const SEALED = 'sealed e2e'
const KV = 'kv e2e'
const SQLITE = 'sqlite store'
/** Column ids (for --columns) and labels, in the order they run. */
const COLUMNS = { core: CORE_COUNT, memory: MEMORY, sealed: SEALED, kv: KV, sqlite: SQLITE }
/** The runtimes with a SQLite of their own, and which one the sqlite column tests there. */
const SQLITE_DRIVERS = { node20: 'better-sqlite3', bun: 'bun:sqlite', workerd: 'D1' }

/** One row of the matrix: how to run core's tests on it and how to serve the e2e app with it. */
const MATRIX = [
  { id: 'node20', label: `Node ${process.version}`, needs: [], node: () => process.execPath },
  { id: 'node22', label: `Node v${VERSIONS.node22}`, needs: ['node22'], node: (rt) => rt.node22.bin },
  { id: 'node24', label: `Node v${VERSIONS.node24}`, needs: ['node24'], node: (rt) => rt.node24.bin },
  { id: 'bun', label: `Bun ${VERSIONS.bun}`, needs: ['bun'] },
  { id: 'deno', label: `Deno ${VERSIONS.deno}`, needs: ['deno'] },
  { id: 'workerd', label: 'workerd', needs: ['workerd', 'node24'] },
]

const selected = flags.only ? flags.only.split(',').map((s) => s.trim()) : MATRIX.map((r) => r.id)
const unknown = selected.filter((id) => !MATRIX.some((r) => r.id === id))
if (unknown.length > 0) {
  console.error(`[runtimes] unknown runtime(s) ${unknown.join(', ')}; known: ${MATRIX.map((r) => r.id).join(', ')}`)
  process.exit(2)
}
const rows = MATRIX.filter((r) => selected.includes(r.id))
const columnIds = flags.columns ? flags.columns.split(',').map((s) => s.trim()) : Object.keys(COLUMNS)
const unknownColumns = columnIds.filter((id) => !(id in COLUMNS))
if (unknownColumns.length > 0) {
  console.error(`[runtimes] unknown column(s) ${unknownColumns.join(', ')}; known: ${Object.keys(COLUMNS).join(', ')}`)
  process.exit(2)
}
const columns = Object.entries(COLUMNS)
  .filter(([id]) => columnIds.includes(id))
  .map(([, label]) => label)
const started = Date.now()
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`
const log = (line) => console.log(`[runtimes] ${line}`)

/** Runs a command to completion, capturing its output; never rejects. */
function exec(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', (error) => resolve({ code: -1, output: `${output}\n${error.message}` }))
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), output }))
  })
}

const envWith = (extra, nodeBin) => ({
  ...process.env,
  ...extra,
  // The runtime's own node first on PATH, so anything vitest spawns runs on it as well.
  ...(nodeBin ? { PATH: `${join(nodeBin, '..')}:${process.env.PATH}` } : {}),
  DENO_NO_UPDATE_CHECK: '1',
  DENO_DIR: join(CACHE_DIR, 'deno-dir'),
  NO_COLOR: '1',
})

function vitestCounts(jsonFile) {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'))
  // A file that fails to load has no test results of its own: count it as one failure.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0)
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles.length,
    skipped: report.numPendingTests + report.numTodoTests,
  }
}

function junitCounts(xmlFile) {
  const root = /<testsuites\b[^>]*>/.exec(readFileSync(xmlFile, 'utf8'))?.[0] ?? ''
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? Number.NaN)
  const tests = attr('tests')
  return { passed: tests - attr('failures') - attr('skipped'), failed: attr('failures'), skipped: attr('skipped') }
}

/** Core's own unit test files (packages/core/src/**\/*.test.ts, test/**\/*.test.ts) on one runtime. */
async function coreTests(row, rt) {
  const report = join(OUT, `core-${row.id}.${row.id === 'bun' ? 'xml' : 'json'}`)
  rmSync(report, { force: true })
  // Type tests (*.test-d.ts) are compile-time only: they run with the unit tests on Node 20, not per runtime.
  const vitestArgs = ['run', '--typecheck.enabled=false', '--reporter=default', '--reporter=json']
  vitestArgs.push(`--outputFile.json=${report}`)
  let result
  if (row.node) {
    const node = row.node(rt)
    result = await exec(node, [VITEST, ...vitestArgs], { cwd: CORE, env: envWith({}, node) })
  } else if (row.id === 'deno') {
    // Vitest itself runs on Deno (its Node compatibility); the forked test workers are Deno processes too.
    result = await exec(rt.deno.bin, ['run', '-A', VITEST, ...vitestArgs], { cwd: CORE, env: envWith({}) })
  } else if (row.id === 'bun') {
    // Bun's own runner: it serves `import ... from 'vitest'` from bun:test (vitest itself fails to load zod on Bun).
    const args = ['test', './src', './test', '--reporter=junit', `--reporter-outfile=${report}`]
    result = await exec(rt.bun.bin, args, { cwd: CORE, env: envWith({}) })
  } else if (row.id === 'workerd') {
    // The Workers Vitest integration: Node 24 hosts vitest, every test file runs inside workerd.
    const config = join(ROOT, 'scripts/runtimes/vitest.workerd.config.mjs')
    const args = [VITEST, ...vitestArgs, '--root', CORE, '--config', config]
    const env = envWith({ SESS_WORKERD_DIR: rt.workerd.dir }, rt.node24.bin)
    result = await exec(rt.node24.bin, args, { cwd: CORE, env })
  }
  let counts
  try {
    counts = row.id === 'bun' ? junitCounts(report) : vitestCounts(report)
  } catch {
    counts = { passed: 0, failed: 0, skipped: 0 }
  }
  const ok = result.code === 0 && counts.failed === 0 && counts.passed > 0
  return { ok, ...counts, output: result.output, note: result.code === 0 ? '' : `exit code ${result.code}` }
}

/** Starts a server process and resolves to its port once it prints `listening <port>`. */
function startServer(cmd, args, options) {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no "listening <port>" line within 30 s')), 30_000)
    child.stdout.on('data', (d) => {
      output += d
      const match = /listening (\d+)/.exec(output)
      if (match) clearTimeout(timer), resolve(Number(match[1]))
    })
    child.stderr.on('data', (d) => (output += d))
    child.on('error', (e) => (clearTimeout(timer), reject(e)))
    child.on('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`exited early (${code ?? signal})`))))
  })
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
      child.once('exit', () => (clearTimeout(kill), resolve()))
      child.kill('SIGTERM')
    })
  return { port, stop, output: () => output }
}

/** A server that can be restarted: the same command again (a new process on a new port, same store files). */
function restartable(cmd, args, options) {
  let current
  let port
  let earlier = ''
  const launch = async () => {
    current = startServer(cmd, args, options)
    port = await current.port
  }
  return {
    start: launch,
    url: () => `http://127.0.0.1:${port}`,
    async restart() {
      await current.stop()
      earlier += `${current.output()}\n--- restarted ---\n`
      await launch()
    },
    stop: () => current?.stop(),
    output: () => earlier + (current?.output() ?? ''),
  }
}

/** How to serve packages/hono/test/runtime/app.ts on a runtime, with `/kv` backed by a fresh store. */
function serverFor(row, rt) {
  const kvDir = join(OUT, `kv-${row.id}`)
  rmSync(kvDir, { recursive: true, force: true })
  if (row.id !== 'workerd') mkdirSync(kvDir, { recursive: true })
  // unstorage's fs driver keeps `sess:<id>` as the file sess/<id>: the runner can look for it from outside.
  const fsKV = { driver: 'fs-lite', inspect: { has: (id) => existsSync(join(kvDir, 'sess', id)) } }
  if (row.node) {
    const node = row.node(rt)
    const env = envWith({ SESS_KV_DIR: kvDir }, node)
    return {
      expect: `node ${row.id === 'node20' ? process.version : `v${VERSIONS[row.id]}`}`,
      server: restartable(node, [join(OUT, 'node.mjs')], { cwd: HONO, env }),
      kv: fsKV,
    }
  }
  if (row.id === 'bun') {
    const env = envWith({ SESS_KV_DIR: kvDir })
    return {
      expect: `bun ${VERSIONS.bun}`,
      server: restartable(rt.bun.bin, ['test/runtime/bun.ts'], { cwd: HONO, env }),
      kv: fsKV,
    }
  }
  if (row.id === 'deno') {
    // --sloppy-imports: the test app's TypeScript imports use the `.js` convention; the built package needs none.
    // Deno KV (Deno.openKv) is still behind --unstable-kv in Deno 2; it may touch its own directory only.
    const path = join(kvDir, 'sessions.sqlite')
    const allow = [
      '--allow-net=127.0.0.1',
      '--allow-env=SESS_KV_PATH',
      `--allow-read=${kvDir}`,
      `--allow-write=${kvDir}`,
    ]
    const args = ['run', '--sloppy-imports', '--no-prompt', '--unstable-kv', ...allow, 'test/runtime/deno.ts']
    return {
      expect: `deno ${VERSIONS.deno}`,
      server: restartable(rt.deno.bin, args, { cwd: HONO, env: envWith({ SESS_KV_PATH: path }) }),
      kv: { driver: 'deno-kv' },
    }
  }
  // workerd: Workers KV is the examples/hono-workers column (workersExample), not this app.
  const args = [join(ROOT, 'scripts/runtimes/serve-workerd.mjs'), rt.workerd.dir, join(OUT, 'worker.mjs')]
  return {
    expect: 'workerd Cloudflare-Workers',
    server: restartable(rt.node24.bin, args, { cwd: HONO, env: envWith({}, rt.node24.bin) }),
  }
}

/**
 * Serves the e2e app on the runtime once and drives the selected scenarios of e2e.mjs against it; resolves to
 * `[column, result]` pairs. A server that does not start, or answers as another runtime, fails every column.
 */
async function serverE2E(row, rt, wanted) {
  const { expect, server, kv } = serverFor(row, rt)
  const scenarios = [
    [MEMORY, () => runE2E(server, expect)],
    [SEALED, () => runSealedE2E(server)],
    [KV, () => runKvE2E(server, kv)],
  ].filter(([column]) => wanted.includes(column))
  const out = []
  let t0 = Date.now()
  try {
    await server.start()
    const answer = await fetch(`${server.url()}/runtime`, { signal: AbortSignal.timeout(10_000) })
    const { runtime } = await answer.json()
    if (!runtime.startsWith(expect)) throw new Error(`it says it is "${runtime}", expected "${expect}…"`)
  } catch (error) {
    await server.stop()
    const output = `--- server output ---\n${server.output()}`
    const note = `cannot start: ${error.message}`
    return scenarios.map(([column]) => [column, { ok: false, passed: 0, failed: 0, skipped: 0, note, output, ms: 0 }])
  }
  for (const [column, run] of scenarios) {
    const e2e = await run()
    const output = e2e.failures.map((f) => `  ✗ ${f.name}: ${f.message}`).join('\n')
    const ok = e2e.failed === 0 && e2e.passed > 0
    out.push([column, { ok, passed: e2e.passed, failed: e2e.failed, skipped: 0, output, ms: Date.now() - t0 }])
    t0 = Date.now()
  }
  await server.stop()
  for (const [, r] of out) if (!r.ok) r.output += `\n--- server output ---\n${server.output()}`
  return out
}

/**
 * examples/hono-workers on workerd with Workers KV: its own vitest file (src/worker.workerd.test.ts), which bundles
 * the Worker, serves it with Miniflare and reads the KV namespace directly. Node 24 hosts vitest and Miniflare.
 */
async function workersExample(rt) {
  const report = join(OUT, 'hono-workers-workerd.json')
  rmSync(report, { force: true })
  const args = [VITEST, 'run', '--config', 'vitest.workerd.config.ts', '--reporter=default', '--reporter=json']
  args.push(`--outputFile.json=${report}`)
  const env = envWith({ SESS_WORKERD_DIR: rt.workerd.dir }, rt.node24.bin)
  const result = await exec(rt.node24.bin, args, { cwd: WORKERS_EXAMPLE, env })
  let counts
  try {
    counts = vitestCounts(report)
  } catch {
    counts = { passed: 0, failed: 0, skipped: 0 }
  }
  // Skipped tests would be a quiet partial pass here: the file has no reason to skip anything.
  const ok = result.code === 0 && counts.failed === 0 && counts.passed > 0 && counts.skipped === 0
  const note = result.code === 0 ? 'examples/hono-workers' : `exit code ${result.code}`
  return { ok, ...counts, output: result.output, note }
}

/**
 * @sess/store-sqlite's conformance suite and SQLite-specific tests on the runtime's own SQLite: better-sqlite3 under
 * vitest on Node 20 (its native addon is built for this Node), bun:sqlite under Bun's runner, and Cloudflare D1
 * inside workerd through the Workers Vitest integration (Node 24 hosts vitest). Node 20 adds its better-sqlite3 file's
 * own tests (the shipped migration, a read-only database, a run through the core).
 */
async function sqliteTests(row, rt) {
  const report = join(OUT, `sqlite-${row.id}.${row.id === 'bun' ? 'xml' : 'json'}`)
  rmSync(report, { force: true })
  const json = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
  let result
  if (row.id === 'bun') {
    const args = ['test', './test/runtimes/bun-sqlite.bun.ts', '--reporter=junit', `--reporter-outfile=${report}`]
    result = await exec(rt.bun.bin, args, { cwd: SQLITE_STORE, env: envWith({}) })
  } else if (row.id === 'workerd') {
    const args = [VITEST, 'run', '--config', 'vitest.workerd.config.ts', ...json]
    const env = envWith({ SESS_WORKERD_DIR: rt.workerd.dir }, rt.node24.bin)
    result = await exec(rt.node24.bin, args, { cwd: SQLITE_STORE, env })
  } else {
    const args = [VITEST, 'run', 'test/better-sqlite3.test.ts', ...json]
    result = await exec(process.execPath, args, { cwd: SQLITE_STORE, env: envWith({}) })
  }
  let counts
  try {
    counts = row.id === 'bun' ? junitCounts(report) : vitestCounts(report)
  } catch {
    counts = { passed: 0, failed: 0, skipped: 0 }
  }
  const ok = result.code === 0 && counts.failed === 0 && counts.passed > 0 && counts.skipped === 0
  const note = result.code === 0 ? SQLITE_DRIVERS[row.id] : `exit code ${result.code}`
  return { ok, ...counts, output: result.output, note }
}

/** The e2e app, bundled where a runtime cannot run it from source: Node (no TypeScript in 20) and workerd. */
async function bundleApps() {
  const esbuild = await import('esbuild')
  const dir = join(HONO, 'test/runtime')
  // Node: only the app is bundled; hono, @hono/node-server and @sess/core load from node_modules as in an app.
  await esbuild.build({
    entryPoints: [join(dir, 'node.ts')],
    outfile: join(OUT, 'node.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  })
  // workerd: one self-contained module, as wrangler would deploy it.
  await esbuild.build({
    entryPoints: [join(dir, 'worker.ts')],
    outfile: join(OUT, 'worker.mjs'),
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
  })
}

// 1. Build what the runs load (turbo: cached when nothing changed).
mkdirSync(OUT, { recursive: true })
if (!flags['no-build']) {
  log('building @sess/core, @sess/hono and the stores the e2e apps use (turbo)')
  const filters = ['--filter=@sess/core', '--filter=@sess/hono', '--filter=@sess/store-unstorage']
  filters.push('--filter=@sess/store-sqlite', '--filter=@sess/testing')
  const build = await exec(
    join(ROOT, 'node_modules/.bin/turbo'),
    ['run', 'build', ...filters, '--output-logs=errors-only'],
    {
      cwd: ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  )
  if (build.code !== 0) {
    console.error(build.output)
    const hint = build.output.includes('package manager binary')
      ? ': turbo needs pnpm on PATH, so run `pnpm test:runtimes` (or build first and pass --no-build)'
      : ''
    console.error(`[runtimes] build failed${hint}`)
    process.exit(1)
  }
}
await bundleApps()

// 2. Runtimes (installed once, then reused).
const needs = [...new Set(rows.flatMap((r) => r.needs))]
log(`runtimes in ${CACHE_DIR}`)
const installStarted = Date.now()
let rt
try {
  rt = await ensureRuntimes(needs, (line) => log(line))
} catch (error) {
  console.error(error.message)
  process.exit(1)
}
log(`runtimes ready in ${seconds(Date.now() - installStarted)}`)
const workerdRow = rows.find((r) => r.id === 'workerd')
if (workerdRow) {
  const pkg = JSON.parse(readFileSync(join(rt.workerd.dir, 'node_modules/workerd/package.json'), 'utf8'))
  workerdRow.label = `workerd ${pkg.version}`
}

const labelWidth = Math.max(...rows.map((r) => r.label.length))

// 3. The matrix, one runtime at a time (2 cores; vitest already uses both).
const results = []
let reference
const record = (row, column, r) => {
  // Never a quiet partial pass: every runtime must run as many core tests as the first one (Node 20).
  if (column === CORE_COUNT && r.ok) {
    const total = r.passed + r.skipped
    if (reference === undefined) reference = { id: row.id, total }
    else if (total !== reference.total) {
      r.ok = false
      r.note = `ran ${total} tests, ${reference.id} ran ${reference.total}`
    }
  }
  results.push({ row, column, ...r })
  const counts = `${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.skipped ? `, ${r.skipped} skipped` : ''}`
  log(
    `${r.ok ? '✓' : '✗'} ${row.label.padEnd(labelWidth)} ${column.padEnd(10)} ${counts} (${seconds(r.ms)})${r.note ? ` — ${r.note}` : ''}`,
  )
  if (!r.ok || flags.verbose) console.log(r.output)
}
const timed = async (fn, ...args) => {
  const t0 = Date.now()
  const r = await fn(...args)
  return { ...r, ms: Date.now() - t0 }
}
for (const row of rows) {
  if (columns.includes(CORE_COUNT)) record(row, CORE_COUNT, await timed(coreTests, row, rt))
  const served = [MEMORY, SEALED, KV].filter((c) => columns.includes(c) && !(row.id === 'workerd' && c === KV))
  if (served.length > 0) for (const [column, r] of await serverE2E(row, rt, served)) record(row, column, r)
  if (row.id === 'workerd' && columns.includes(KV)) record(row, KV, await timed(workersExample, rt))
  if (columns.includes(SQLITE) && row.id in SQLITE_DRIVERS) record(row, SQLITE, await timed(sqliteTests, row, rt))
}

// 4. The summary.
const cell = (row, column) => {
  const r = results.find((x) => x.row === row && x.column === column)
  if (!r) return '-'
  return `${r.ok ? 'ok  ' : 'FAIL'} ${r.passed}/${r.passed + r.failed}${r.skipped ? ` +${r.skipped} skip` : ''}`
}
const width = labelWidth + 2
console.log('\nRuntime matrix')
console.log(`${'runtime'.padEnd(width)}${columns.map((c) => c.padEnd(22)).join('')}`)
for (const row of rows) console.log(`${row.label.padEnd(width)}${columns.map((c) => cell(row, c).padEnd(22)).join('')}`)
if (columns.includes(KV)) {
  console.log(
    'kv e2e: unstorage fs-lite on Node and Bun, Deno KV on Deno, Workers KV (examples/hono-workers) on workerd',
  )
}
if (columns.includes(SQLITE)) {
  console.log('sqlite store: better-sqlite3 on Node 20, bun:sqlite on Bun, Cloudflare D1 on workerd; none elsewhere')
}
const failed = results.filter((r) => !r.ok)
console.log(
  `\n${failed.length === 0 ? 'all green' : `${failed.length} failing: ${failed.map((r) => `${r.row.id} ${r.column}`).join(', ')}`}` +
    ` in ${seconds(Date.now() - started)}`,
)
process.exit(failed.length === 0 ? 0 : 1)
