// Runs core's unit tests inside workerd through the Workers Vitest integration. The plugin comes from the runtime
// cache (scripts/runtimes/install.mjs), whose `vitest` is linked to the workspace's copy. Used by run.mjs with
// `--root packages/core`; it needs Node 22+ as the host (miniflare 5), the tests themselves run in workerd.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineConfig } from 'vitest/config'

// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by run.mjs for this config only, never inside a turbo task
const dir = process.env.SESS_WORKERD_DIR
if (!dir) throw new Error('[runtimes] SESS_WORKERD_DIR is not set: run this through scripts/runtimes/run.mjs')
const plugin = pathToFileURL(join(dir, 'node_modules/@cloudflare/vitest-plugin/dist/pool/index.mjs')).href
const { cloudflareTest } = await import(plugin)

export default defineConfig({
  plugins: [
    cloudflareTest({
      // nodejs_compat: two known-answer tests compare against node:crypto's createHmac.
      miniflare: { compatibilityDate: '2026-04-01', compatibilityFlags: ['nodejs_compat'] },
    }),
  ],
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
})
