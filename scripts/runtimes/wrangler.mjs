// Runs wrangler from the runtimes cache under its Node 24, in the current directory: `wrangler dev` and `deploy` for
// examples/hono-workers on machines whose own Node is 20 (wrangler wants 22+). The wrangler is the one the Workers
// Vitest integration pins (install.mjs), so dev, the tests and the matrix share one workerd.
//
//   node scripts/runtimes/wrangler.mjs <wrangler arguments>
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { ensureRuntimes } from './install.mjs'

const rt = await ensureRuntimes(['workerd', 'node24'], (line) => console.error(`[runtimes] ${line}`))
const node = rt.node24.bin
const child = spawn(node, [join(rt.workerd.dir, 'node_modules/wrangler/bin/wrangler.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false' },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
