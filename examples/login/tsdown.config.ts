import { defineConfig } from 'tsdown'

// An app, not a library: one runnable ESM file, dependencies left to node_modules.
export default defineConfig({
  entry: ['src/server.ts'],
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  dts: false,
  clean: true,
})
