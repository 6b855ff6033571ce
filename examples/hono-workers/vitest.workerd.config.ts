import { defineProject } from 'vitest/config'

// The Worker on workerd through Miniflare, with Workers KV. Needs Node 22+ and the runtimes cache: run it with
// `pnpm test:runtimes` or `pnpm --filter @sess/example-hono-workers test:workerd` (scripts/runtimes/run.mjs).
export default defineProject({
  test: { include: ['src/**/*.workerd.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
})
