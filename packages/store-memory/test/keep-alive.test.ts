import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, it } from 'vitest'

const pkg = fileURLToPath(new URL('..', import.meta.url))

/** Transpiles the store's source into a folder under this package, where `@sess/core` resolves. */
function buildStore(): string {
  mkdirSync(join(pkg, 'node_modules', '.cache'), { recursive: true })
  const dir = mkdtempSync(join(pkg, 'node_modules', '.cache', 'keep-alive-'))
  const sources = readdirSync(join(pkg, 'src'), { recursive: true, encoding: 'utf8' })
  for (const file of sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const source = readFileSync(join(pkg, 'src', file), 'utf8')
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    })
    const out = join(dir, file.replace(/\.ts$/, '.js'))
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, outputText)
  }
  return dir
}

it('lets a process exit by itself while a sweep timer is scheduled', () => {
  const dir = buildStore()
  try {
    const main = join(dir, 'main.mjs')
    writeFileSync(
      main,
      `import { memoryStore } from './memory-store.js'
const store = memoryStore({ sweepInterval: 1 })
await store.set('a', { data: {}, createdAt: Date.now(), expiresAt: Date.now() + 60_000, version: 1 }, 60)
console.log('ready', store.size)`,
    )
    const started = Date.now()
    const child = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 10_000 })
    expect(child.error).toBeUndefined()
    expect(child.stderr).toBe('')
    expect(child.stdout.trim()).toBe('ready 1')
    expect(child.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(5000)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
