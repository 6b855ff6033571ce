// Where the edge bundle's bytes go, per module: the store app of `bundle-size.mjs` (or the sealed app with
// --sealed) bundled from SOURCE (packages/hono/src, @sess/core resolved to packages/core/src as its edge build; no build needed),
// minified as there. For each module: its minified bytes (esbuild's bytesInOutput) and an estimate of its gzipped
// cost (the bundle's gzip size minus the gzip size of the bundle with that module's code cut out). The estimates do
// not add up to the total (gzip shares repeats across modules) and the total runs ~0.1 kB over the dist build's:
// use it to rank candidates, and `bundle-size.mjs` for the figure that counts. Lesson from the first pass: a
// repeated string or pattern costs little gzipped; what shrinks the bundle is code that is not reached at all.
//
//   node scripts/bundle-breakdown.mjs [--sealed] [--top N]
import { existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
const HONO = join(ROOT, 'packages/hono')
const { values: flags } = parseArgs({
  options: { sealed: { type: 'boolean', default: false }, top: { type: 'string', default: '15' } },
})

const imports = flags.sealed ? '' : `import { memoryStore } from '@sess/store-memory'`
const app = `
import { Hono } from 'hono'
import { session, sealedCookie } from ${JSON.stringify(join(HONO, 'src/index.ts'))}
${imports}
const app = new Hono()
app.use(session({ secret: (c) => c.env.SESSION_SECRET, store: ${flags.sealed ? 'sealedCookie()' : 'memoryStore()'} }))
app.get('/', (c) => {
  const s = c.get('session')
  s.set('views', (s.get('views') ?? 0) + 1)
  return c.text('views: ' + s.get('views'))
})
export default app
`
// Source instead of dist: @sess/core to its src, and the `.js` of relative TypeScript imports to `.ts`.
const fromSource = {
  name: 'from-source',
  setup(build) {
    build.onResolve({ filter: /^@sess\/core$/ }, () => ({ path: join(ROOT, 'packages/core/src/index.ts') }))
    // A module with a `.edge.ts` sibling is replaced by it, as in core's edge build (packages/core/tsdown.config.ts).
    build.onResolve({ filter: /^\..*\.js$/ }, (args) => {
      if (!args.importer.endsWith('.ts')) return undefined
      const edge = resolve(args.resolveDir, args.path.replace(/\.js$/, '.edge.ts'))
      return { path: existsSync(edge) ? edge : resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) }
    })
  },
}
// As bundle-size.mjs bundles it (same platform, target, conditions and externals), plus the source resolution.
const options = {
  stdin: { contents: app, resolveDir: HONO, sourcefile: 'edge-app.js', loader: 'js' },
  ...{ bundle: true, write: false, platform: 'neutral', format: 'esm', target: 'es2022', metafile: true },
  ...{ mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'browser'], logLevel: 'error' },
  external: ['hono', 'hono/*', '@sess/store-memory'],
  plugins: [fromSource],
}

const minified = await esbuild.build({ ...options, minify: true })
const code = minified.outputFiles[0].contents
const bytes = new Map()
for (const [file, input] of Object.entries(Object.values(minified.metafile.outputs)[0].inputs)) {
  bytes.set(relative(ROOT, file), input.bytesInOutput)
}

// Without whitespace minification esbuild heads each module's code with `// path`: cut one module out at a time,
// minify the whitespace of the rest and gzip it.
const readable = await esbuild.build({ ...options, minifySyntax: true, minifyIdentifiers: true })
const parts = []
for (const line of readable.outputFiles[0].text.split('\n')) {
  const head = /^\/\/ (\S+\.(?:ts|js))$/.exec(line)
  if (head) parts.push({ file: head[1], text: '' })
  else if (parts.length > 0) parts[parts.length - 1].text += `${line}\n`
}
const gzipped = async (text) => {
  const out = await esbuild.transform(text, { minifyWhitespace: true, format: 'esm', target: 'es2022' })
  return gzipSync(out.code, { level: 9 }).byteLength
}
const whole = await gzipped(parts.map((p) => p.text).join(''))
const rows = []
for (const part of parts) {
  const rest = parts.filter((p) => p !== part).map((p) => p.text)
  rows.push({ file: part.file, bytes: bytes.get(part.file) ?? 0, gzip: whole - (await gzipped(rest.join(''))) })
}
rows.sort((a, b) => b.gzip - a.gzip)

console.log(`${flags.sealed ? 'Sealed' : 'Store'} app from source: ${code.byteLength} B minified, ${whole} B gzipped`)
console.log(`${'module'.padEnd(46)}${'min B'.padStart(8)}${'~gzip B'.padStart(9)}`)
for (const r of rows.slice(0, Number(flags.top))) {
  console.log(`${r.file.padEnd(46)}${String(r.bytes).padStart(8)}${String(r.gzip).padStart(9)}`)
}
