import { defineProject } from 'vitest/config'

// Node only: the app's routes over unstorage's memory driver. The Worker itself, on workerd with Workers KV, is
// src/worker.workerd.test.ts (vitest.workerd.config.ts), run by `pnpm test:runtimes`.
export default defineProject({
  test: { include: ['src/**/*.test.ts'], exclude: ['**/*.workerd.test.ts'] },
})
