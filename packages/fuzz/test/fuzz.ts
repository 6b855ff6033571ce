import fc from 'fast-check'

/**
 * The seed of this run: `FUZZ_SEED` to replay one, else a fresh one each run (printed, so a CI failure can be
 * replayed locally with `FUZZ_SEED=<seed> pnpm --filter @sess/fuzz test:integration`).
 */
export const SEED: number = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** Scales every property's case count: `FUZZ_SCALE=10` for a long local run. @default 1 */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1)

/**
 * Checks an async property with the run's seed and `runs` cases (times `FUZZ_SCALE`), prints the seed and the
 * number of cases run, and throws fast-check's report (the shrunk counterexample and how to replay it) on failure.
 */
export async function fuzz<T>(name: string, property: fc.IAsyncProperty<T>, runs: number): Promise<void> {
  const numRuns = Math.max(1, Math.round(runs * SCALE))
  const path = process.env.FUZZ_PATH
  const started = Date.now()
  const details = await fc.check(property, { seed: SEED, numRuns, ...(path ? { path } : {}) })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(
    `[fuzz] ${name}: ${details.numRuns} cases, ${details.numSkips} skipped, seed ${SEED}, ${seconds} s${details.failed ? ' FAILED' : ''}`,
  )
  if (details.failed) {
    throw new Error(
      `[fuzz] ${name} failed; replay with FUZZ_SEED=${SEED} FUZZ_PATH=${details.counterexamplePath}\n${fc.defaultReportMessage(details)}`,
      { cause: details.errorInstance },
    )
  }
}
