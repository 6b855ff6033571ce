// Instructions per request, counted by valgrind (callgrind): a figure the host's load and speed drift do not move,
// for A/B work on a busy machine. `node src/instructions.mjs <variant> <path> [requests]`, e.g.
//   node src/instructions.mjs express-sess-memory /read 1000
// The variant's server runs under callgrind (in-memory variants only: no Redis/PostgreSQL context); after a warm-up
// (BENCH_WARM requests, default 20000: under valgrind V8's background compiler lags, and after 3,000–5,000 some
// of sess's small per-request functions still run as baseline code) the counters are zeroed, `requests` keep-alive
// GETs of `path` are sent one at a time with the session cookie from a first /write, and the count is dumped.
// Repeat runs of the same variant agree within about ±5%, so compare variants measured in the same sitting and look
// at differences of 20 k instructions or more. Scale to time with the bare route's µs per request from ab.mjs.
// With BENCH_INSTR_TOP=N it also prints the N functions with the most instructions (or of the BENCH_INSTR_EVENT event)
// of their own per request, JIT code named through node's --perf-basic-prof map (`JS:*name file:line`); compare two
// such lists to see where a change moved instructions. With BENCH_CACHE=1 callgrind also simulates the caches
// (`--cache-sim=yes`, L1 as the host's, the last level as one core's 512 KB L2, `BENCH_LL` to change it:
// size,assoc,line) and prints misses per request: on Express, where the time goes to memory touched cold between two
// requests rather than to instructions (bench/NOTES.md), L1 and L2 misses are the host-independent figure to compare.
// A variant written `<id>@<checkout>` runs its server from another checkout (built there, with this tool in its
// bench/src), to compare two revisions: `node src/instructions.mjs express-sess-memory@/tmp/old /write`.
// Needs valgrind (apt-get install valgrind). The server side, `--serve <variant>`, runs in the child.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sequentialClient } from './lib/http.mjs'
import { FLOORS, VARIANTS } from './variants.mjs'

const [first, ...rest] = process.argv.slice(2)
const find = (id) => [...VARIANTS, ...FLOORS].find((v) => v.id === id)

if (first === '--serve') {
  const variant = find(rest[0])
  const { apps } = await import(`./apps/${variant.framework}.mjs`)
  const server = await apps[variant.id]({})
  console.log(`PORT ${server.address().port}`)
} else {
  const [spec, path = '/read', count = '1000'] = [first, ...rest]
  const [id, checkout] = String(spec).split('@')
  if (checkout && !existsSync(resolve(checkout, 'bench/src/instructions.mjs'))) {
    console.error(`[bench] ${checkout} has no bench/src/instructions.mjs: give a checkout of this repository, built`)
    process.exit(1)
  }
  if (!find(id)) {
    console.error(
      `usage: node src/instructions.mjs <variant> <path> [requests]\nvariants: ${[...VARIANTS, ...FLOORS].map((v) => v.id).join(', ')}`,
    )
    process.exit(1)
  }
  const { instructions, misses } = await measure(id, path, Number(count), checkout)
  const cache = misses === undefined ? '' : `; misses/request: ${misses}`
  console.log(`${spec} ${path} ${instructions.toFixed(1)} k instructions/request${cache}`)
}

async function measure(id, path, n, checkout) {
  const name = `sess-instr-${process.pid}`
  const out = join(tmpdir(), `${name}.out`)
  const self = checkout ? resolve(checkout, 'bench/src/instructions.mjs') : fileURLToPath(import.meta.url)
  const top = Number(process.env.BENCH_INSTR_TOP ?? 0)
  const node = top > 0 ? ['node', '--perf-basic-prof'] : ['node']
  const cache =
    process.env.BENCH_CACHE === '1' ? ['--cache-sim=yes', `--LL=${process.env.BENCH_LL ?? '524288,8,64'}`] : []
  const args = ['--tool=callgrind', ...cache, `--callgrind-out-file=${out}`, ...node, self, '--serve', id]
  const child = spawn('valgrind', args, {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  try {
    const port = await new Promise((resolve, reject) => {
      let buf = ''
      child.once('exit', (code) => reject(new Error(`[bench] valgrind exited (${code}) before listening`)))
      child.stdout.on('data', (d) => {
        buf += d
        const m = /PORT (\d+)/.exec(buf)
        if (m) resolve(Number(m[1]))
      })
    })
    const client = sequentialClient(port)
    const get = client.send
    const cookie = await client.cookieFor(path)
    for (let i = 0; i < Number(process.env.BENCH_WARM ?? 20000); i++) await get(path, cookie)
    execFileSync('callgrind_control', ['-z', String(child.pid)], { stdio: 'ignore' })
    for (let i = 0; i < n; i++) await get(path, cookie)
    execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' })
    client.close()
    // The dump after the zeroing is the second file: `<out>.1`.
    const dump = readFileSync(`${out}.1`, 'utf8')
    if (top > 0) printTop(dump, `/tmp/perf-${child.pid}.map`, n, top)
    return {
      instructions: Number(/^summary: (\d+)/m.exec(dump)?.[1] ?? Number.NaN) / n / 1000,
      misses: missesOf(dump, n),
    }
  } finally {
    child.kill('SIGKILL')
    for (const f of readdirSync(tmpdir())) if (f.startsWith(name)) rmSync(join(tmpdir(), f), { force: true })
    rmSync(`/tmp/perf-${child.pid}.map`, { force: true })
  }
}

/**
 * Cache misses per request from a dump made with --cache-sim=yes (events Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw):
 * instruction and data misses at L1 and at the last level, or undefined without the simulation.
 */
function missesOf(dump, n) {
  const events = eventsOf(dump)
  const summary = /^summary: (.*)$/m.exec(dump)?.[1].split(' ').map(Number)
  if (summary === undefined || !events.includes('D1mr')) return undefined
  const of = (name) => summary[events.indexOf(name)] / n
  const f = (x) => x.toFixed(0)
  return `L1 ${f(of('I1mr'))} instr + ${f(of('D1mr') + of('D1mw'))} data, last level ${f(of('ILmr'))} instr + ${f(of('DLmr') + of('DLmw'))} data`
}

/** The events a callgrind dump counts, in the order of its cost columns (`Ir` alone without the cache simulation). */
function eventsOf(dump) {
  return /^events: (.*)$/m.exec(dump)?.[1].split(' ') ?? ['Ir']
}

/**
 * The functions with the most of an event (instructions unless BENCH_INSTR_EVENT) of their own, per request, from
 * the dump's text; JIT code named from the perf map.
 */
function printTop(dump, perfMap, n, top) {
  const ranges = readFileSync(perfMap, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, size, ...name] = line.split(' ')
      return { start: Number.parseInt(start, 16), end: Number.parseInt(start, 16) + Number.parseInt(size, 16), name }
    })
    .sort((a, b) => a.start - b.start)
  const jitName = (address) => {
    let lo = 0
    let hi = ranges.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (ranges[mid].start <= address) lo = mid + 1
      else hi = mid - 1
    }
    const r = ranges[hi]
    return r && address < r.end ? r.name.join(' ') : 'JIT code (unnamed)'
  }
  // Self cost per function from the dump itself: a cost line counts for the current `fn=` unless it follows a
  // `calls=` line (then it is the inclusive cost of that call). Names are compressed: `fn=(7) name` (or `cfn=`
  // first), then `fn=(7)`.
  // BENCH_INSTR_EVENT ranks by another of the dump's events (with BENCH_CACHE=1: I1mr, D1mr, ILmr, DLmr, …).
  const events = eventsOf(dump)
  const event = process.env.BENCH_INSTR_EVENT ?? 'Ir'
  if (!events.includes(event)) throw new Error(`[bench] BENCH_INSTR_EVENT=${event}: the dump has ${events.join(' ')}`)
  // A cost line is the position (compressed) then one number per event; a missing trailing number is 0.
  const column = 1 + events.indexOf(event)
  const names = new Map()
  const own = new Map()
  let fn = ''
  let afterCall = false
  for (const line of dump.split('\n')) {
    if (line.startsWith('cfn=')) {
      const m = /^cfn=\((\d+)\) (.*)$/.exec(line)
      if (m) names.set(m[1], m[2])
    } else if (line.startsWith('fn=')) {
      const m = /^fn=\((\d+)\)(?: (.*))?$/.exec(line)
      if (m?.[2] !== undefined) names.set(m[1], m[2])
      const name = m ? (names.get(m[1]) ?? '?') : line.slice(3)
      const hex = /^0x([0-9a-f]+)$/.exec(name)
      fn = hex ? jitName(Number.parseInt(hex[1], 16)) : name
    } else if (line.startsWith('calls=')) afterCall = true
    else if (/^[+-]?\d/.test(line) || line.startsWith('*')) {
      if (!afterCall) own.set(fn, (own.get(fn) ?? 0) + Number(line.split(' ')[column] ?? 0))
      afterCall = false
    }
  }
  for (const [fn, count] of [...own].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(count / n).toFixed(0).padStart(8)}  ${fn.slice(0, 150)}`)
  }
}
