import type { UserConfig } from 'tsdown'

/** Shared build defaults; each package spreads these in its own tsdown.config.ts. */
export const base: UserConfig = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  target: 'es2022',
  clean: true,
  // .js/.d.ts for ESM (the packages are type: module) and .cjs/.d.cts for CommonJS, whatever the platform.
  fixedExtension: false,
}
