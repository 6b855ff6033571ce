// Sums the "Tests" lines of every vitest run in a CI log and prints one closing line
// ("N passed, N failed, N skipped"), so the whole run reports a single total.
import { readFileSync } from 'node:fs'

const file = process.argv[2]
if (!file) {
  console.error('usage: node scripts/summary.mjs <log-file>')
  process.exit(2)
}
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')
const text = readFileSync(file, 'utf8').replace(ANSI, '')
const totals = { passed: 0, failed: 0, skipped: 0, runs: 0 }
for (const line of text.split('\n')) {
  const m = /\bTests\s+(.+?)\s+\(\d+\)\s*$/.exec(line)
  if (!m) continue
  totals.runs++
  for (const part of m[1].split('|')) {
    const p = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part.trim())
    if (p) totals[p[2] === 'todo' ? 'skipped' : p[2]] += Number(p[1])
  }
}
if (totals.runs === 0) {
  console.error('No vitest summary found in the log: did any test run?')
  process.exit(1)
}
console.log(`\n${totals.runs} vitest runs`)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed > 0 ? 1 : 0)
