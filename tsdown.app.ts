import type { UserConfig } from 'tsdown'

/** The build of an example app (not a library): one runnable ESM file from src/server.ts, dependencies left to node_modules. */
export const app: UserConfig = {
  entry: ['src/server.ts'],
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  dts: false,
  clean: true,
}
