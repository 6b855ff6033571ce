import { defineConfig } from 'tsdown'
import { base } from '../../tsdown.base.ts'

// platform 'node' would default to .mjs/.d.mts; package.json's exports name .js/.d.ts.
export default defineConfig({ ...base, platform: 'node', fixedExtension: false })
