// CPU pinning for the bench: the load generator (this process) on one core, every server process on another, so that
// the two never take turns on the same core and a server's CPU time per request is its own work, not the cost of
// being preempted and of cold caches. On by default where `taskset` exists and there are at least two cores;
// BENCH_PIN=0 turns it off. Measured on the 2-core host (express /read, bare vs sess, 4 rounds): unpinned, the same
// variant's CPU µs/request moved up to 2x between runs; pinned, within about ±5%.
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

function tasksetWorks() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const cores = availableParallelism()
/** Where processes run: `undefined` when pinning is off or not possible. */
export const pinning =
  process.env.BENCH_PIN !== '0' && process.platform === 'linux' && cores >= 2 && tasksetWorks()
    ? { load: '0', servers: String(cores - 1) }
    : undefined

/** Pins this process (every thread it has now; new threads inherit) to the load generator's core. */
export function pinLoadGenerator() {
  if (pinning) execFileSync('taskset', ['-apc', pinning.load, String(process.pid)], { stdio: 'ignore' })
}

/** `fork` options that start a server under `taskset` on the servers' core (all its threads, from the start). */
export function pinnedFork(execArgv) {
  if (!pinning) return { execArgv }
  return { execPath: 'taskset', execArgv: ['-c', pinning.servers, process.execPath, ...execArgv] }
}

/** How the report describes it. */
export const pinningNote = pinning
  ? `load generator pinned to CPU ${pinning.load} and servers to CPU ${pinning.servers} (taskset)`
  : 'no CPU pinning'
