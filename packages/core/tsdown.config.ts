import { defineConfig } from 'tsdown'
import { base } from '../../tsdown.base.ts'

// Two entries: the edge-safe main one, and `@sess/core/node` (node:crypto), built for Node so it stays out of the
// main bundle.
export default defineConfig([
  { ...base, platform: 'neutral' },
  { ...base, entry: { node: 'src/node/index.ts' }, platform: 'node', clean: false },
])
