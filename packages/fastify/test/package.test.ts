import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const built = existsSync(fileURLToPath(new URL('../dist/index.cjs', import.meta.url)))

// These load the built package through its own name and exports map, as users do (turbo builds it first).
describe.skipIf(!built && !process.env.CI)('the built package (skipped before the first build)', () => {
  it("require('@sess/fastify') is the plugin with .default, .fastifySession, MemoryStore and Store", async () => {
    const { stdout } = await run(process.execPath, [fixture('require.cjs')], { timeout: 20_000 })
    expect(JSON.parse(stdout)).toEqual({
      shape: { type: 'function', default: true, named: true, MemoryStore: 'function', Store: true, skipOverride: true },
      views: [1, 2],
    })
  }, 30_000)

  it('import fastifySession (default) and { fastifySession } are the same plugin', async () => {
    const { stdout } = await run(process.execPath, [fixture('import.mjs')], { timeout: 20_000 })
    expect(JSON.parse(stdout)).toEqual({ ok: true })
  }, 30_000)
})
