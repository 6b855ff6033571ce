import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TsdownPlugin } from 'tsdown'
import { defineConfig } from 'tsdown'
import { base } from '../../tsdown.base.ts'

// In the edge build, a module with a `.edge.ts` sibling is replaced by it: `./x.js` imported from src resolves to
// `x.edge.ts` when that file exists. Only Node-only machinery has one (store-deadline: the shared store-call timer).
const edgeModules: TsdownPlugin = {
  name: 'sess-edge-modules',
  resolveId(source, importer) {
    if (importer === undefined || !source.startsWith('.') || !source.endsWith('.js')) return null
    const edge = resolve(importer, '..', source.replace(/\.js$/, '.edge.ts'))
    return existsSync(edge) ? edge : null
  },
}

// Three builds: the main entry for Node, Bun and Deno (ESM + CJS, with the types); the same entry for edge runtimes
// (`dist/index.edge.js`, ESM only, chosen by the `workerd`, `worker`, `browser` and `edge-light` export conditions,
// typed by the same index.d.ts); and `@sess/core/node` (node:crypto), built for Node so it stays out of the main bundle.
export default defineConfig([
  { ...base, platform: 'neutral' },
  {
    ...base,
    entry: { 'index.edge': 'src/index.ts' },
    format: ['esm'],
    dts: false,
    platform: 'neutral',
    clean: false,
    plugins: [edgeModules],
  },
  { ...base, entry: { node: 'src/node/index.ts' }, platform: 'node', clean: false },
])
