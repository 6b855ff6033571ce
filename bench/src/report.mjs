// Turns the results of run.mjs into bench/RESULTS.md and a stdout summary. Can be re-run on a saved results file:
//   node src/report.mjs [results.json] [RESULTS.md]
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './lib/stats.mjs'
import { FRAMEWORKS, SCENARIOS } from './variants.mjs'

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))

/** DESIGN.md §5, per framework: throughput factors over the best memory-store peer and over the bare route. */
export const BUDGETS = {
  express: { overPeer: 1.3, overBare: 0.75 },
  fastify: { overPeer: 2, overBare: 0.6 },
  hono: { overPeer: 3, overBare: 0.6 },
  cpuRead: 25,
  cpuWrite: 40,
  // Sent per request. A returning write or a destroy is its read plus one command: the handler needs the loaded data
  // first, so DESIGN.md's "1 write" / "1 destroy" count the write itself (connect-redis: GET + SET, GET + DEL).
  redis: { 1: 0, 2: 1, 3: 1, 4: 2, destroy: 2 },
  // The same rule for SQL statements: a read with its due expiry refresh is one statement (issue 16).
  postgres: { 1: 0, 2: 1, 3: 1, 4: 2, destroy: 2 },
  bundleKB: 12,
}

const REDIS_BUDGET =
  'Redis commands sent per request: untouched 0 / new 1 / read 1 / write 1 + the read / destroy 1 + the read'
const PG_BUDGET =
  'PostgreSQL statements per request: untouched 0 / new 1 / read 1 / write 1 + the read / destroy 1 + the read'
const PG_KEYS = [1, 2, 3, 4, 'destroy']

const fmt = {
  int: (x) => (x === undefined ? '–' : Math.round(x).toLocaleString('en-US')),
  n: (x, d = 1) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d)),
  ratio: (x) => (x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`),
  signed: (x) => (x === undefined ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(0)}`),
}

/**
 * The median, over runs, of `fn(a[i], b[i])`: a ratio taken within each run (the two measured minutes apart at
 * most, interleaved), so that drift between runs cancels. Falls back to the medians' ratio if runs are missing.
 */
function paired(a, b, fn) {
  if (a.length === b.length && a.every((x) => x !== undefined) && b.every((x) => x !== undefined)) {
    return median(a.map((x, i) => fn(x, b[i])))
  }
  return fn(median(a.filter((x) => x !== undefined)), median(b.filter((x) => x !== undefined)))
}

/** Medians per variant and scenario, with the ratios the report needs. */
export function aggregate(results) {
  const cells = new Map()
  for (const [key, samples] of Object.entries(results.raw)) {
    const [id, s] = key.split(':')
    const redisCommands = {}
    for (const sample of samples) {
      for (const name of Object.keys(sample.redisByCommand ?? {})) redisCommands[name] = true
    }
    cells.set(key, {
      id,
      scenario: Number(s),
      runs: samples.length,
      rps: median(samples.map((x) => x.rps)),
      p50: median(samples.map((x) => x.p50)),
      p99: median(samples.map((x) => x.p99)),
      // With CPU rounds (run.mjs), every round's figure, paired by position with the bare route's.
      cpuUs: median(samples.flatMap((x) => x.cpuRounds ?? [x.cpuUs])),
      cpuUsSaturated: median(samples.map((x) => x.cpuUsSaturated)),
      fixedRate: median(samples.map((x) => x.fixedRate)),
      rpsAll: samples.map((x) => x.rps),
      cpuAll: samples.flatMap((x) => x.cpuRounds ?? [x.cpuUs]),
      redisPerRequest: median(samples.map((x) => x.redisPerRequest)),
      pgPerRequest: median(samples.map((x) => x.pgPerRequest)),
      redisByCommand: Object.fromEntries(
        Object.keys(redisCommands).map((name) => [name, median(samples.map((x) => x.redisByCommand?.[name] ?? 0))]),
      ),
      persisted: samples.map((x) => x.persisted).filter(Boolean),
    })
  }
  const variant = (id) => results.variants.find((v) => v.id === id)
  const cell = (id, s) => cells.get(`${id}:${s}`)
  for (const c of cells.values()) {
    const v = variant(c.id)
    // The bare route measured in the same scenario (older results have it in scenario 0 only).
    const bare = cell(`${v.framework}-bare`, c.scenario) ?? cell(`${v.framework}-bare`, 0)
    const peers = results.variants.filter((p) => p.framework === v.framework && p.kind === 'peer')
    const best = peers
      .map((p) => cell(p.id, c.scenario))
      .filter(Boolean)
      .sort((a, b) => b.rps - a.rps)[0]
    c.overBare = bare ? paired(c.rpsAll, bare.rpsAll, (x, y) => x / y) : undefined
    c.extraCpu = bare && c.cpuUs !== undefined ? paired(c.cpuAll, bare.cpuAll, (x, y) => x - y) : undefined
    c.bareRps = bare?.rps
    c.bareCpuUs = bare?.cpuUs
    c.overBestPeer = best && v.kind !== 'bare' ? paired(c.rpsAll, best.rpsAll, (x, y) => x / y) : undefined
    c.cpuOverBestPeer = best && v.kind !== 'bare' ? paired(best.cpuAll, c.cpuAll, (x, y) => x / y) : undefined
    c.bestPeer = best?.id
    const sample = results.cookieSamples?.[`${c.id}:${c.scenario}`]
    if (sample) {
      c.setCookie = sample.setCookie / sample.responses
      c.cookieBytes = sample.bytes / sample.responses
    }
  }
  return { cells, cell, variant }
}

/** Each DESIGN.md §5 budget with this run's numbers. */
export function evaluateBudgets(results, agg = aggregate(results)) {
  const { cell } = agg
  const rows = []
  const add = (budget, scope, measured, met, detail = '') => rows.push({ budget, scope, measured, met, detail })
  for (const f of FRAMEWORKS) {
    const b = BUDGETS[f]
    const sess = `${f}-sess-memory`
    const peers = results.variants.filter(
      (v) => v.framework === f && v.kind === 'peer' && v.store !== 'redis' && v.store !== 'postgres',
    )
    for (const s of [3, 4]) {
      const mine = cell(sess, s)
      const what = s === 3 ? 'read' : 'write'
      const best = peers
        .map((p) => cell(p.id, s))
        .filter(Boolean)
        .sort((a, c) => c.rps - a.rps)[0]
      if (!mine || !best) {
        add(`returning ${what} ≥ ${b.overPeer}× best memory-store peer (req/s)`, f, 'not measured', undefined)
      } else {
        const r = paired(mine.rpsAll, best.rpsAll, (x, y) => x / y)
        const cpuRatio = paired(best.cpuAll, mine.cpuAll, (x, y) => x / y)
        add(
          `returning ${what} ≥ ${b.overPeer}× best memory-store peer (req/s)`,
          f,
          `${r.toFixed(2)}× (${fmt.int(mine.rps)} vs ${fmt.int(best.rps)} req/s of ${label(results, best.id)}; by CPU/req ${cpuRatio.toFixed(2)}×)`,
          r >= b.overPeer,
        )
      }
      if (mine && mine.overBare !== undefined) {
        const r = mine.overBare
        add(
          `returning ${what} ≥ ${b.overBare}× bare route (req/s)`,
          f,
          `${r.toFixed(2)}× (${fmt.int(mine.rps)} vs ${fmt.int(mine.bareRps)} req/s)`,
          r >= b.overBare,
        )
        const extra = mine.extraCpu
        const limit = s === 3 ? BUDGETS.cpuRead : BUDGETS.cpuWrite
        add(
          `returning ${what}: ≤ ${limit} µs server CPU over bare`,
          f,
          `${fmt.signed(extra)} µs (${fmt.n(mine.cpuUs, 0)} vs ${fmt.n(mine.bareCpuUs, 0)} µs/req; ${fmt.signed(Math.round((100 * extra) / mine.bareCpuUs))}% of bare)`,
          extra <= limit,
        )
      } else {
        add(`returning ${what} vs bare route`, f, 'not measured', undefined)
      }
      // Informational: sess's own part on Express, over the bare route behind the one thing sess does first
      // (req and res into dictionary mode), which makes Express itself cheaper.
      const floor = cell(`${f}-floor-dict`, s)
      if (mine && floor && mine.cpuUs !== undefined && floor.cpuUs !== undefined) {
        const own = paired(mine.cpuAll, floor.cpuAll, (x, y) => x - y)
        add(
          `returning ${what}: sess's own part, over the bare route in dictionary mode (informational)`,
          f,
          `${fmt.signed(own)} µs (${fmt.n(mine.cpuUs, 0)} vs ${fmt.n(floor.cpuUs, 0)} µs/req; the bare route itself ${fmt.n(mine.bareCpuUs, 0)})`,
          undefined,
        )
      }
    }
    const counts = results.redisCounts?.[`${f}-sess-redis`]
    const cmds = Object.entries(BUDGETS.redis).map(([k, want]) => {
      const c = counts?.[k]
      return { k, want, got: c?.clientPerRequest, script: c?.scriptPerRequest }
    })
    if (!counts) {
      add(REDIS_BUDGET, f, 'not measured', undefined)
    } else {
      const got = cmds.map((c) => (c.got === undefined ? '–' : fmt.n(c.got, 2).replace(/\.00$/, ''))).join(' / ')
      add(
        REDIS_BUDGET,
        f,
        `${got} sent (round trips); ${cmds.map((c) => (c.script === undefined ? '–' : fmt.n(c.script, 2).replace(/\.00$/, ''))).join(' / ')} run inside scripts`,
        cmds.every((c) => c.got !== undefined && Math.abs(c.got - c.want) < 1e-9),
      )
    }
  }
  const pg = results.pgCounts ?? {}
  const pgIds = Object.keys(pg)
  for (const f of FRAMEWORKS.filter((x) => pgIds.some((id) => id.startsWith(`${x}-sess-`)))) {
    const ours = pg[`${f}-sess-pg`]
    const peer = pgIds.find((id) => id.startsWith(`${f}-`) && id !== `${f}-sess-pg`)
    const show = (counts) => PG_KEYS.map((k) => fmt.n(counts?.[k]?.perRequest, 2).replace(/\.00$/, '')).join(' / ')
    add(
      PG_BUDGET,
      f,
      `${show(ours)}${peer ? ` (${label(results, peer)}: ${show(pg[peer])})` : ''}`,
      PG_KEYS.every((k) => ours?.[k] !== undefined && Math.abs(ours[k].perRequest - BUDGETS.postgres[k]) < 1e-9),
    )
  }
  if (results.size?.rows) {
    const ours = results.size.rows[0]
    add(
      `edge bundle, @sess/core + @sess/hono, min+gzip < ${BUDGETS.bundleKB} kB`,
      'hono',
      `${(ours.gzipped / 1000).toFixed(2)} kB (minified ${(ours.minified / 1000).toFixed(2)} kB)`,
      ours.gzipped / 1000 < BUDGETS.bundleKB,
    )
  } else {
    add(`edge bundle < ${BUDGETS.bundleKB} kB`, 'hono', results.size?.skipped ?? 'skipped', undefined)
  }
  if (results.memory) {
    const m = results.memory.rows.find((r) => r.id === 'sess-memory')
    add(
      'memory store bounded (max + LRU), bytes per session reported',
      'store-memory',
      m
        ? `${fmt.int(m.bytesPerSession)} B/session at ${fmt.int(m.sessions)} sessions; size stays ≤ max: ${m.bounded ? 'yes' : 'NO'}`
        : '–',
      m ? m.bounded : undefined,
    )
  }
  return rows
}

const label = (results, id) => results.variants.find((v) => v.id === id)?.label ?? id
const status = (met) => (met === undefined ? 'n/a' : met ? 'met' : '**MISSED**')

function frameworkTable(results, agg, f) {
  const rated = results.config.rate > 0
  const lines = [
    `| Scenario | Variant | req/s | p50 ms | p99 ms | × bare | × best peer | CPU µs/req${rated ? ` at ${fmt.int(results.config.rate)}/s` : ''} | CPU over bare µs |${rated ? ' CPU µs/req at max |' : ''} Set-Cookie/resp | cookie B/resp | Redis cmds/req |`,
    `|---|---|--:|--:|--:|--:|--:|--:|--:|${rated ? '--:|' : ''}--:|--:|--:|`,
  ]
  for (const s of SCENARIOS) {
    for (const v of results.variants.filter((x) => x.framework === f)) {
      const c = agg.cell(v.id, s.id)
      if (!c) continue
      const redis =
        v.store === 'redis'
          ? redisCell(results, v.id, s.id, c)
          : v.store === 'postgres'
            ? pgCell(results, v.id, s.id, c)
            : ''
      lines.push(
        `| ${s.id} ${s.short} | ${v.kind === 'sess' ? `**${v.label}**` : v.label} | ${fmt.int(c.rps)} | ${fmt.n(c.p50, 0)} | ${fmt.n(c.p99, 0)} | ${fmt.ratio(c.overBare)} | ${v.kind === 'bare' ? '' : fmt.ratio(c.overBestPeer)} | ${fmt.n(c.cpuUs, 0)}${rated && c.fixedRate < 0.9 * results.config.rate ? ` (only ${fmt.int(c.fixedRate)}/s)` : ''} | ${v.id === `${v.framework}-bare` ? '' : fmt.signed(c.extraCpu)} |${rated ? ` ${fmt.n(c.cpuUsSaturated, 0)} |` : ''} ${fmt.n(c.setCookie, 1)} | ${fmt.n(c.cookieBytes, 0)} | ${redis} |`,
      )
    }
  }
  return lines.join('\n')
}

/** "1 / 3": commands sent per request (MONITOR) / all commands the server ran, scripts included (timed window). */
function redisCell(results, id, s, c) {
  const counted = results.redisCounts?.[id]?.[s]
  const sent = counted ? fmt.n(counted.clientPerRequest, 2).replace(/\.00$/, '') : '–'
  return `${sent} / ${fmt.n(c.redisPerRequest, 2).replace(/\.00$/, '')}`
}

/** "1 / 1.00 SQL": statements sent per request, counted sequentially / over the timed window. */
function pgCell(results, id, s, c) {
  const counted = results.pgCounts?.[id]?.[s]
  const sent = counted ? fmt.n(counted.perRequest, 2).replace(/\.00$/, '') : '–'
  return `${sent} / ${fmt.n(c.pgPerRequest, 2).replace(/\.00$/, '')} SQL`
}

/** Statements per request for each PostgreSQL variant, and sess's req/s over the peer's in the same scenario. */
function pgTable(results, agg) {
  const ids = Object.keys(results.pgCounts ?? {})
  if (ids.length === 0) return '_No PostgreSQL variant ran._'
  const name = { 1: '1 untouched', 2: '2 new+write', 3: '3 read', 4: '4 write', destroy: 'destroy' }
  const lines = [
    `| Variant | ${PG_KEYS.map((k) => name[k]).join(' | ')} |`,
    `|---|${PG_KEYS.map(() => '--:').join('|')}|`,
  ]
  for (const id of ids) {
    const counts = results.pgCounts[id]
    lines.push(
      `| ${label(results, id)} (${id.split('-')[0]}) | ${PG_KEYS.map((k) => fmt.n(counts[k]?.perRequest, 2).replace(/\.00$/, '')).join(' | ')} |`,
    )
  }
  for (const ours of ids.filter((id) => id.includes('-sess-'))) {
    const peer = ids.find((id) => id !== ours && id.split('-')[0] === ours.split('-')[0])
    if (!peer) continue
    const ratio = (k) => {
      const [a, b] = [agg.cell(ours, k), agg.cell(peer, k)]
      return a && b ? fmt.ratio(paired(a.rpsAll, b.rpsAll, (x, y) => x / y)) : '–'
    }
    lines.push(
      `| req/s, ${label(results, ours)} over ${label(results, peer)} | ${PG_KEYS.map((k) => (k === 'destroy' ? '' : ratio(k))).join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

function redisTable(results) {
  const ids = Object.keys(results.redisCounts ?? {})
  if (ids.length === 0) return '_No Redis variant ran._'
  const keys = [1, 2, 3, 4, 'destroy']
  const name = { 1: '1 untouched', 2: '2 new+write', 3: '3 read', 4: '4 write', destroy: 'destroy' }
  const lines = [`| Variant | ${keys.map((k) => name[k]).join(' | ')} |`, `|---|${keys.map(() => '---').join('|')}|`]
  const show = (c) => {
    if (!c) return '–'
    const list = (o) =>
      Object.entries(o)
        .map(([k, n]) => `${k.toUpperCase()}${n / c.requests === 1 ? '' : ` ×${Number((n / c.requests).toFixed(2))}`}`)
        .join(' ')
    const sent = Object.keys(c.client).length ? list(c.client) : 'none'
    return `${sent}${Object.keys(c.script).length ? ` (script: ${list(c.script)})` : ''}`
  }
  for (const id of ids) {
    lines.push(
      `| ${label(results, id)} (${id.split('-')[0]}) | ${keys.map((k) => show(results.redisCounts[id][k])).join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

function microTable(micro) {
  if (!micro) return '_Skipped._'
  const lines = ['| Benchmark | avg | p50 | p99 |', '|---|--:|--:|--:|']
  const t = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`)
  for (const b of micro.benchmarks) lines.push(`| ${b.name} | ${t(b.avg)} | ${t(b.p50)} | ${t(b.p99)} |`)
  return lines.join('\n')
}

function memoryTable(memory) {
  if (!memory) return '_Skipped._'
  const lines = ['| Store | sessions held | heap bytes / session | notes |', '|---|--:|--:|---|']
  for (const r of memory.rows)
    lines.push(`| ${r.label} | ${fmt.int(r.held)} | ${fmt.int(r.bytesPerSession)} | ${r.note ?? ''} |`)
  return lines.join('\n')
}

function sizeSection(size) {
  if (!size) return '_Skipped._'
  if (size.skipped) return `_Skipped: ${size.skipped}._`
  const lines = ['| Bundle | minified kB | gzipped kB | budget |', '|---|--:|--:|---|']
  for (const r of size.rows) {
    const budget =
      r.budget === undefined ? '' : `${r.gzipped / 1000 < r.budget ? 'met' : '**MISSED**'} (< ${r.budget} kB)`
    lines.push(`| ${r.name} | ${(r.minified / 1000).toFixed(2)} | ${(r.gzipped / 1000).toFixed(2)} | ${budget} |`)
  }
  return `From \`node scripts/bundle-size.mjs\` (esbuild, minified, platform neutral, gzip -9; kB = 1000 bytes).\n\n${lines.join('\n')}`
}

function persistenceNote(agg) {
  const lines = []
  for (const c of agg.cells.values()) {
    if (c.scenario !== 4 || c.persisted.length === 0) continue
    const writes = c.persisted.reduce((a, p) => a + p.writes, 0)
    const inc = c.persisted.reduce((a, p) => a + p.increments, 0)
    lines.push(`${c.id} ${fmt.int(inc)}/${fmt.int(writes)}`)
  }
  return lines.length
    ? `Scenario 4 increments persisted / returning-visitor writes served, summed over runs: ${lines.join('; ')}.`
    : ''
}

export function renderReport(results) {
  const agg = aggregate(results)
  const budgets = evaluateBudgets(results, agg)
  const c = results.config
  const notesPath = join(BENCH_DIR, 'NOTES.md')
  const notes = existsSync(notesPath) ? readFileSync(notesPath, 'utf8').trim() : ''
  const missed = budgets.filter((b) => b.met === false).length
  return `# sess benchmark results

${c.quick ? '> **Quick smoke run** (`BENCH_QUICK=1`): too short to quote; it checks that every variant works.\n\n' : ''}Produced by \`${results.command}\` on ${results.date.slice(0, 16).replace('T', ' ')} UTC, in ${results.elapsedSeconds} s. Revision ${results.revision}.

- Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGB} GB, ${results.machine.platform}, Node ${results.machine.node}; load average at start ${results.machine.loadavg}; ${results.machine.pinning ?? 'no CPU pinning'}${results.machine.cores <= 2 ? ' (shared, noisy: compare ratios within this run, not absolute numbers across runs)' : ''}.
- Method: each variant in its own server process on a loopback port; autocannon (${c.connections} connections, no pipelining) in another process; per variant and scenario ${c.warmup} s warm-up, then ${c.duration} s at full speed${c.rate > 0 ? `, then ${c.rateDuration} s at a fixed ${fmt.int(c.rate)} req/s` : ''}; ${c.runs} run(s) with fresh servers, variants interleaved in a rotated order per run and scenario, the framework's bare route among them in every scenario; medians of the runs, and every ratio (× bare, × best peer, CPU over bare) the median of the ratios within each run, so that drift between runs cancels. Returning visitors rotate over ${fmt.int(c.pool)} sessions per variant created through the app before measuring. Redis ${results.redisVersion} on a loopback port, dedicated to the run.
- Every variant was first checked to answer every scenario correctly (status, counter values, a new session readable back, increments persisted, destroyed sessions gone); after each returning-visitor write window the pool's counters were summed and compared with the writes served. ${results.failures.length === 0 ? 'All checks passed.' : `**${results.failures.length} check(s) failed** (listed at the end).`} ${persistenceNote(agg)}
- Versions: ${Object.entries(results.packages)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.

**Columns.** *req/s*, *p50*, *p99*: autocannon at full speed over the measured window. *× bare*: req/s over the framework's bare route measured in the same scenario (it answers every path without a session). *× best peer*: req/s over the fastest peer in the same scenario. *CPU µs/req*: the server process's CPU time (user + system, \`process.cpuUsage()\` inside the server) divided by the requests it served, ${c.cpuRounds > 0 ? `in ${c.cpuRounds} paired round(s) per run after the timed windows, each variant of the scenario taking a ${c.cpuWindow} s turn ${c.rate > 0 ? `at a fixed ${fmt.int(c.rate)} req/s` : 'at full speed'} in a rotated order, so that a variant and its bare route are measured seconds apart (the median of every round's figure)` : c.rate > 0 ? `in a second window where every variant gets the same fixed ${fmt.int(c.rate)} req/s (*at max*: the full-speed window's figure)` : 'over the full-speed window'}. *CPU over bare*: minus the framework's bare route's${c.cpuRounds > 0 ? ', the median of the per-round differences' : ''}. *Set-Cookie/resp*, *cookie B/resp*: headers and bytes (\`set-cookie: …\\r\\n\`) per response, sampled. *Redis cmds/req*: commands the app sent per request (MONITOR, outside the timed windows) / all commands Redis ran per request, including those inside Lua scripts (INFO commandstats over the full-speed window); for PostgreSQL variants, statements per request (*SQL*: the pool's \`query\` calls), counted sequentially / over the full-speed window.

Scenarios: 0 bare route (no session middleware); 1 middleware installed, the route never touches the session, no cookie; 2 new visitor whose route writes a counter (a session created per request); 3 returning visitor reading the counter; 4 returning visitor incrementing it.

## Budgets (DESIGN.md §5)

${missed === 0 ? 'Every measured budget was met in this run.' : `${missed} budget line(s) missed in this run; see the notes below for what was found.`}

| Budget | Scope | This run | Status |
|---|---|---|---|
${budgets.map((b) => `| ${b.budget} | ${b.scope} | ${b.measured} | ${status(b.met)} |`).join('\n')}

${FRAMEWORKS.map((f) => `## ${f[0].toUpperCase()}${f.slice(1)}\n\n${frameworkTable(results, agg, f)}`).join('\n\n')}

## Redis commands per request

Counted with MONITOR over 20 requests per scenario, outside the timed windows. Listed: the commands the app sent (each one a round trip), then those run inside a Lua script.

${redisTable(results)}

## PostgreSQL statements per request

${results.postgresVersion && results.postgresVersion !== 'n/a' ? `PostgreSQL ${results.postgresVersion} (the machine's server, a schema of the run's own). ` : ''}Counted in each server process as the calls to its pg Pool's \`query\` (whoever makes them: connect-pg-simple or @sess/store-postgres), over 20 sequential requests per scenario outside the timed windows; the framework tables show the same count over the timed window. The last row is req/s over the peer in the same scenario (median of per-run ratios).

${pgTable(results, agg)}

## Memory store: heap bytes per session

A separate process (\`--expose-gc\`): \`heapUsed\` after minus before filling the store, over the sessions held. Records hold \`{ n: 1 }\` plus each library's metadata.

${memoryTable(results.memory)}

## Edge bundle

${sizeSection(results.size)}

## Core microbenchmarks (mitata)

${results.micro ? `\`@sess/core\` alone, memory store, Node ${results.machine.node}. ${results.micro.note ?? ''}` : ''}

${microTable(results.micro)}
${notes ? `\n${notes}\n` : ''}${results.failures.length ? `\n## Failed checks\n\n${results.failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`
}

export function renderSummary(results) {
  const agg = aggregate(results)
  const lines = []
  for (const f of FRAMEWORKS) {
    const rows = results.variants.filter((v) => v.framework === f)
    if (!rows.some((v) => agg.cells.has(`${v.id}:${v.kind === 'bare' ? 0 : 3}`))) continue
    lines.push(`${f}: req/s (CPU µs/req) — × bare, × best peer`)
    for (const s of SCENARIOS) {
      for (const v of rows) {
        const c = agg.cell(v.id, s.id)
        if (!c) continue
        lines.push(
          `  S${s.id} ${s.short.padEnd(10)} ${v.label.padEnd(36)} ${fmt.int(c.rps).padStart(7)} (${fmt.n(c.cpuUs, 0).padStart(4)} µs)  ${fmt.ratio(c.overBare).padStart(6)}  ${v.kind === 'bare' ? '' : fmt.ratio(c.overBestPeer).padStart(6)}`,
        )
      }
    }
  }
  lines.push('', 'budgets:')
  for (const b of evaluateBudgets(results, agg))
    lines.push(`  [${status(b.met).replace(/\*/g, '')}] ${b.scope}: ${b.budget} — ${b.measured}`)
  return lines.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv[2] ?? join(BENCH_DIR, 'results.json')
  const output = process.argv[3] ?? join(BENCH_DIR, 'RESULTS.md')
  const results = JSON.parse(readFileSync(input, 'utf8'))
  writeFileSync(output, renderReport(results))
  console.log(renderSummary(results))
}
