/** @module @sess/testing — shared conformance suites and server launchers for sess's own tests (private). */

// Store suite
export { CORRUPTION_KINDS, describeStoreConformance, realTimeClock } from './store-suite.js'
export type {
  CorruptionKind,
  StoreCapabilities,
  StoreCreateOptions,
  StoreSuiteContext,
  StoreSuiteFactory,
  SuiteClock,
} from './store-suite.js'
export { commonBadStoreOptions, itRejectsEachOption } from './option-cases.js'
export type { BadOptionCase } from './option-cases.js'

// Clocks
export { fakeClock } from './fake-clock.js'
export type { FakeClock } from './fake-clock.js'

// Servers and integration gating
export { redisGate, redisUnavailableReason, startRedisServer } from './redis-server.js'
export type { RedisServer, StartRedisServerOptions } from './redis-server.js'
export { useRedisClient } from './redis-client.js'
export { integrationGate, requireIntegration } from './integration.js'
export type { Env, IntegrationGate } from './integration.js'

// Adapter suite
export * from './adapter-suite.js'
export { callsWithoutUserScenario, twoDevicesScenario } from './devices-scenario.js'
export { serveJsonApp, untilOk } from './json-app.js'
export { concurrentKeysScenario, staleWriteScenario } from './two-instances-scenario.js'
export { requestCostScenario } from './request-costs.js'
export type { MeasureRequest, RequestCostOptions } from './request-costs.js'
export type { JsonApp, JsonReply, SessionAppBody } from './json-app.js'
export type { ListedDevice, ScenarioDevice } from './devices-scenario.js'
