import { defineConfig } from 'tsdown'
import { base } from '../../tsdown.base.ts'

// Two builds: the ESM entry has named exports and a default; the CommonJS entry has only the default, so that
// `require('@sess/fastify')` returns the plugin itself with its members, as `require('@fastify/session')` does.
export default defineConfig([
  { ...base, platform: 'node', format: 'esm' },
  { ...base, platform: 'node', format: 'cjs', entry: { index: 'src/index-cjs.ts' }, clean: false },
])
