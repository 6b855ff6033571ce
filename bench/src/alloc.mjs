// Bytes allocated per request, by allocating function: V8's sampling heap profiler with the objects young and old
// collections freed kept in the profile, so the profile is everything allocated, not what survived.
//   node src/alloc.mjs <variant> <path> [requests] [top]
// The server runs in this process (in-memory variants only); a child process sends `requests` keep-alive GETs of
// `path` one at a time after a warm-up (BENCH_WARM, default 3000) with the session cookie from a first /write.
// Prints bytes per request and the top allocating functions. Load and CPU speed do not move these figures.
import { fork } from 'node:child_process'
import { Session } from 'node:inspector/promises'
import { fileURLToPath } from 'node:url'
import { sequentialClient } from './lib/http.mjs'
import { FLOORS, VARIANTS } from './variants.mjs'

const [first, ...rest] = process.argv.slice(2)
const find = (id) => [...VARIANTS, ...FLOORS].find((v) => v.id === id)

if (first === '--client') {
  const [port, path, n, warm] = rest
  const client = sequentialClient(port)
  const get = client.send
  const cookie = await client.cookieFor(path)
  for (let i = 0; i < Number(warm); i++) await get(path, cookie)
  process.send('warm')
  await new Promise((r) => process.once('message', r))
  for (let i = 0; i < Number(n); i++) await get(path, cookie)
  process.send('done')
  client.close()
} else {
  const [id, path = '/read', count = '2000', top = '25'] = [first, ...rest]
  const variant = find(id)
  if (!variant) {
    console.error('usage: node src/alloc.mjs <variant> <path> [requests] [top]')
    process.exit(1)
  }
  const { apps } = await import(`./apps/${variant.framework}.mjs`)
  const server = await apps[id]({})
  const port = server.address().port
  const client = fork(fileURLToPath(import.meta.url), [
    '--client',
    String(port),
    path,
    count,
    process.env.BENCH_WARM ?? '3000',
  ])
  await new Promise((r) => client.once('message', r))
  const session = new Session()
  session.connect()
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.ALLOC_SURVIVORS !== '1',
  })
  client.send('go')
  await new Promise((r) => client.once('message', r))
  const { profile } = await session.post('HeapProfiler.stopSampling')
  server.close()
  server.closeAllConnections?.()
  const n = Number(count)
  const self = new Map()
  let total = 0
  const walk = (node) => {
    const bytes = node.selfSize
    total += bytes
    if (bytes > 0) {
      const f = node.callFrame
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/packages\//, '')}:${f.lineNumber + 1}`
      self.set(key, (self.get(key) ?? 0) + bytes)
    }
    for (const c of node.children) walk(c)
  }
  walk(profile.head)
  console.log(`${id} ${path}: ${(total / n).toFixed(0)} bytes allocated per request (sampled)`)
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${(v / n).toFixed(0).padStart(7)}  ${k}`)
  }
  process.exit(0)
}
