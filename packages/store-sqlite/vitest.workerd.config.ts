import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineConfig } from 'vitest/config'

// D1 on workerd through the Workers Vitest integration, which comes from the runtime cache (scripts/runtimes):
// Node 22+ hosts vitest, the test file runs inside workerd with a D1 binding. Run through scripts/runtimes/run.mjs.
const dir = process.env.SESS_WORKERD_DIR
if (!dir) throw new Error('[store-sqlite] SESS_WORKERD_DIR is not set: run this through scripts/runtimes/run.mjs')
const plugin = pathToFileURL(join(dir, 'node_modules/@cloudflare/vitest-plugin/dist/pool/index.mjs')).href
const { cloudflareTest } = await import(plugin)

export default defineConfig({
  plugins: [
    cloudflareTest({
      // nodejs_compat: the shared suite draws ids with node:crypto's randomUUID.
      miniflare: { compatibilityDate: '2026-04-01', compatibilityFlags: ['nodejs_compat'], d1Databases: ['DB'] },
    }),
  ],
  test: { include: ['test/runtimes/d1.workerd.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
