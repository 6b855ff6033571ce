// `pnpm test:runtimes`: core's unit tests and the Hono end-to-end test on Node 20 (this machine's), Node 22 and 24,
// Bun, Deno and workerd, each runtime installed from the npm registry into a gitignored cache (install.mjs).
//
//   node scripts/runtimes/run.mjs [--only=node22,bun] [--verbose] [--no-build]
//
// Exits non-zero when any test fails, a runtime cannot start, or a runtime runs fewer core tests than Node 20.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runE2E } from './e2e.mjs'
import { CACHE_DIR, ensureRuntimes, ROOT, VERSIONS } from './install.mjs'

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
})

const CORE = join(ROOT, 'packages/core')
const HONO = join(ROOT, 'packages/hono')
const OUT = join(HONO, '.tmp/runtimes')
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs')
const CORE_COUNT = 'core tests'
const E2E = 'hono e2e'

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

/** Serves packages/hono/test/runtime/app.ts on the runtime and drives it with e2e.mjs. */
async function honoE2E(row, rt) {
  let server
  let expect
  if (row.node) {
    const node = row.node(rt)
    expect = `node ${row.id === 'node20' ? process.version : `v${VERSIONS[row.id]}`}`
    server = startServer(node, [join(OUT, 'node.mjs')], { cwd: HONO, env: envWith({}, node) })
  } else if (row.id === 'bun') {
    expect = `bun ${VERSIONS.bun}`
    server = startServer(rt.bun.bin, ['test/runtime/bun.ts'], { cwd: HONO, env: envWith({}) })
  } else if (row.id === 'deno') {
    // --sloppy-imports: the test app's TypeScript imports use the `.js` convention; the built package needs none.
    expect = `deno ${VERSIONS.deno}`
    const args = ['run', '--sloppy-imports', '--no-prompt', '--allow-net=127.0.0.1', 'test/runtime/deno.ts']
    server = startServer(rt.deno.bin, args, { cwd: HONO, env: envWith({}) })
  } else if (row.id === 'workerd') {
    expect = 'workerd Cloudflare-Workers'
    const args = [join(ROOT, 'scripts/runtimes/serve-workerd.mjs'), rt.workerd.dir, join(OUT, 'worker.mjs')]
    server = startServer(rt.node24.bin, args, { cwd: HONO, env: envWith({}, rt.node24.bin) })
  }
  let result
  try {
    const port = await server.port
    const e2e = await runE2E(`http://127.0.0.1:${port}`, expect)
    const details = e2e.failures.map((f) => `  ✗ ${f.name}: ${f.message}`).join('\n')
    result = { ok: e2e.failed === 0, passed: e2e.passed, failed: e2e.failed, skipped: 0, output: details }
  } catch (error) {
    result = { ok: false, passed: 0, failed: 0, skipped: 0, note: `cannot start: ${error.message}`, output: '' }
  }
  await server.stop()
  result.output += `\n--- server output ---\n${server.output()}`
  return result
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
  log('building @sess/core and @sess/hono (turbo)')
  const filters = ['--filter=@sess/core', '--filter=@sess/hono']
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
for (const row of rows) {
  for (const [column, fn] of [
    [CORE_COUNT, coreTests],
    [E2E, honoE2E],
  ]) {
    const t0 = Date.now()
    const r = await fn(row, rt)
    r.ms = Date.now() - t0
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
}

// 4. The summary.
const cell = (row, column) => {
  const r = results.find((x) => x.row === row && x.column === column)
  if (!r) return '-'
  return `${r.ok ? 'ok  ' : 'FAIL'} ${r.passed}/${r.passed + r.failed}${r.skipped ? ` (+${r.skipped} skipped)` : ''}`
}
const width = labelWidth + 2
console.log('\nRuntime matrix')
console.log(`${'runtime'.padEnd(width)}${CORE_COUNT.padEnd(22)}${E2E}`)
for (const row of rows) console.log(`${row.label.padEnd(width)}${cell(row, CORE_COUNT).padEnd(22)}${cell(row, E2E)}`)
const failed = results.filter((r) => !r.ok)
console.log(
  `\n${failed.length === 0 ? 'all green' : `${failed.length} failing: ${failed.map((r) => `${r.row.id} ${r.column}`).join(', ')}`}` +
    ` in ${seconds(Date.now() - started)}`,
)
process.exit(failed.length === 0 ? 0 : 1)
