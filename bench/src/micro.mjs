// Core microbenchmarks with mitata: sign, verify, and a manager's load + commit with the memory store.
// `node src/micro.mjs [--quick]` prints JSON.
import { createHmac } from 'node:crypto'
import { CookieSigner, createSessionManager } from '@sess/core'
import { memoryStore } from '@sess/store-memory'
import { measure } from 'mitata'
import { SECRET } from './variants.mjs'

const quick = process.argv.includes('--quick')
const opts = { min_cpu_time: (quick ? 60 : 400) * 1e6 }
const hmacSync = (secret, data) => createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')
const id = 'Xq3LrVb0d6kM2pQ9sT1uW4yZ7aC8eF5h'

const webSigner = new CookieSigner([SECRET], 's:')
const syncSigner = new CookieSigner([SECRET], 's:', hmacSync)
const signed = await webSigner.sign(id)
if (syncSigner.signSync(id) !== signed) throw new Error('[bench] Web Crypto and node:crypto signatures differ')
// More distinct values than the signer's cache of verified values holds, verified in turn: every one a miss.
const many = Array.from({ length: 10_000 }, (_, i) =>
  syncSigner.signSync(`${id.slice(0, 24)}${String(i).padStart(8, '0')}`),
)
let next = 0
const miss = (signer) => () => signer.verify(many[next++ % many.length])

async function managerCase(hmac) {
  const manager = createSessionManager({ secret: SECRET, store: memoryStore({ max: 100_000 }), hmacSync: hmac })
  const handle = await manager.load({})
  handle.session.set('n', 1)
  const [setCookie] = (await handle.commit()).setCookie
  const cookie = setCookie.split(';')[0]
  return {
    read: async () => {
      const h = await manager.load({ cookie })
      h.session.get('n')
      return h.commit()
    },
    write: async () => {
      const h = await manager.load({ cookie })
      h.session.set('n', (h.session.get('n') ?? 0) + 1)
      return h.commit()
    },
    untouched: async () => (await manager.load({})).commit(),
    create: async () => {
      const h = await manager.load({})
      h.session.set('n', 1)
      return h.commit()
    },
  }
}
const web = await managerCase(undefined)
const sync = await managerCase(hmacSync)

const cases = [
  ['sign, Web Crypto (crypto.subtle)', () => webSigner.sign(id)],
  ['sign, node:crypto createHmac (hmacSync)', () => syncSigner.signSync(id)],
  ['verify, cache miss, Web Crypto', miss(webSigner)],
  ['verify, cache miss, node:crypto (hmacSync)', miss(syncSigner)],
  ['verify, cached value', () => webSigner.verify(signed)],
  ['load + commit, no cookie, untouched', web.untouched],
  ['load + commit, read, Web Crypto', web.read],
  ['load + commit, read, hmacSync', sync.read],
  ['load + commit, write, Web Crypto', web.write],
  ['load + commit, write, hmacSync', sync.write],
  ['load + commit, new session written, Web Crypto', web.create],
]

const benchmarks = []
for (const [name, fn] of cases) {
  const stats = await measure(fn, opts)
  benchmarks.push({
    name,
    avg: stats.avg,
    p50: stats.p50,
    p99: stats.p99,
    samples: stats.samples?.length ?? stats.ticks,
  })
}
console.log(JSON.stringify({ note: 'Times per operation; async cases include awaiting their promises.', benchmarks }))
