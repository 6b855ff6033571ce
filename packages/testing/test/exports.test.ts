import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "CORRUPTION_KINDS",
      "callsWithoutUserScenario",
      "commonBadStoreOptions",
      "concurrentKeysScenario",
      "controlledStore",
      "cookiePair",
      "describeAdapterConformance",
      "describeStoreConformance",
      "fakeClock",
      "integrationGate",
      "itRejectsEachOption",
      "listenOnLoopback",
      "realTimeClock",
      "redisGate",
      "redisUnavailableReason",
      "requestCostScenario",
      "requireIntegration",
      "serveJsonApp",
      "staleWriteScenario",
      "startRedisServer",
      "twoDevicesScenario",
      "untilOk",
      "useRedisClient",
    ]
  `)
})
