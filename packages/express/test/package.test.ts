import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const built = existsSync(fileURLToPath(new URL('../dist/index.cjs', import.meta.url)))

// These load the built package through its own name and exports map, as users do (turbo builds it first).
describe.skipIf(!built && !process.env.CI)('the built package', () => {
  it("require('@sess/express') returns the callable session function with its classes", async () => {
    const { stdout } = await run(process.execPath, [fixture('require.cjs')], { timeout: 20_000 })
    expect(JSON.parse(stdout)).toEqual({ first: 'views: 1', second: 'views: 2' })
  }, 30_000)

  it("types CommonJS apps through `export =`, with SessionData augmentable on '@sess/express'", async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    await run(process.execPath, [tsc, '-p', fixture('cjs-types')], { timeout: 60_000 })
  }, 60_000)

  it('import session (default) and named imports are the same function', async () => {
    const { stdout } = await run(process.execPath, [fixture('import.mjs')], { timeout: 20_000 })
    expect(JSON.parse(stdout)).toEqual({ ok: true })
  }, 30_000)
})
