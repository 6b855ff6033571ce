import { defineProject } from 'vitest/config'

// app.test.ts talks to the PostgreSQL at PG_URL (or the machine's), so it gets a server's timeouts.
export default defineProject({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
})
