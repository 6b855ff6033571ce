/** Environment variables as `process.env` holds them. */
export type Env = Record<string, string | undefined>

/**
 * Whether a missing integration server must fail the run instead of skipping it: on CI (`CI=true`) and wherever
 * `SESS_REQUIRE_INTEGRATION=1` is set (`.ci/run` sets both), so missing infrastructure can never pass as a skip.
 */
export function requireIntegration(env: Env = process.env): boolean {
  const ci = env.CI?.toLowerCase()
  return ci === 'true' || ci === '1' || env.SESS_REQUIRE_INTEGRATION === '1'
}

/** Decides whether an integration suite runs, and says why not. */
export interface IntegrationGate {
  /** Pass to `describe.skipIf`. */
  readonly skip: boolean
  /** Why the server is unavailable, when it is. */
  readonly reason: string | undefined
  /** `name`, plus the skip reason when skipping, so the reason shows in the test report. */
  title(name: string): string
}

/**
 * Gates an integration suite on a server being available. Unavailable and {@link requireIntegration}: throws, which
 * fails the test file. Unavailable otherwise: skips, with the reason in the suite title and on stderr.
 *
 * @param service - The server's name for messages, e.g. `'Redis'`.
 * @param unavailableReason - Why it cannot be used, or `undefined` when it can.
 * @example
 * ```ts
 * const gate = integrationGate('MongoDB', process.env.MONGO_URL ? undefined : 'MONGO_URL is not set')
 * describe.skipIf(gate.skip)(gate.title('mongo store'), () => { ... })
 * ```
 */
export function integrationGate(
  service: string,
  unavailableReason: string | undefined,
  env: Env = process.env,
): IntegrationGate {
  if (unavailableReason === undefined) return { skip: false, reason: undefined, title: (name) => name }
  if (requireIntegration(env)) {
    throw new Error(
      `[sess/testing] ${service} is required here (CI=true or SESS_REQUIRE_INTEGRATION=1) but unavailable: ${unavailableReason}.`,
    )
  }
  console.warn(`[sess/testing] Skipping the ${service} integration tests: ${unavailableReason}.`)
  return { skip: true, reason: unavailableReason, title: (name) => `${name} [skipped: ${unavailableReason}]` }
}
