// Serves a bundled worker with Miniflare (workerd) on a free loopback port and prints `listening <port>`, like the
// other runtimes' entry files. Run by run.mjs under Node 22+ (miniflare 5): node serve-workerd.mjs <workerd dir> <worker.mjs>
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [dir, scriptPath] = process.argv.slice(2)
const miniflare = await import(pathToFileURL(join(dir, 'node_modules/miniflare/dist/src/index.js')).href)

// Miniflare 4's option shape; miniflare 5 (pinned by the Vitest integration) converts it as its own plugin does.
const options = {
  host: '127.0.0.1',
  port: 0,
  workers: [
    {
      name: 'sess-runtime-matrix',
      modules: true,
      scriptPath,
      compatibilityDate: '2026-04-01',
      bindings: { SESSION_SECRET: 'runtime-matrix-binding-secret-runtime-matrix' },
    },
  ],
}
const mf = new miniflare.Miniflare(miniflare.convertV4MiniflareOptions?.(options) ?? options)
const url = await mf.ready
console.log(`listening ${url.port}`)

const stop = () => mf.dispose().finally(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
