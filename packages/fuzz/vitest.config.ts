import { defineProject } from 'vitest/config'

// One file at a time: the suites share two cores with the rest of CI and each starts its own servers.
export default defineProject({
  test: {
    include: ['test/**/*.fuzz.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
