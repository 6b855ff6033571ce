// Heap bytes per session of in-memory stores. `node --expose-gc src/memory.mjs [count]` measures each store in its
// own child process (so one cannot skew another's heap) and prints JSON rows.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const DAY_MS = 86_400_000

const STORES = {
  'sess-memory': {
    label: '@sess/store-memory `memoryStore({ max })`',
    async fill(count) {
      const { memoryStore } = await import('@sess/store-memory')
      const { generateSessionId } = await import('@sess/core')
      // max at the count: the default (10,000) would evict, which is the point of a bound but not of this measure.
      const store = memoryStore({ max: count, sweepInterval: 60 })
      const now = Date.now()
      for (let i = 0; i < count; i++) {
        await store.set(
          generateSessionId(),
          { data: { n: 1 }, createdAt: now, expiresAt: now + DAY_MS, version: 1 },
          86_400,
        )
      }
      // The sweep timer is left running on purpose: this process must still exit (run.mjs waits for it).
      return { store, held: store.size }
    },
    note: 'JSON string per record + expiry; LRU order kept by the Map',
  },
  'express-session-memory': {
    label: 'express-session `MemoryStore`',
    async fill(count) {
      const { MemoryStore, Cookie } = require('express-session')
      const store = new MemoryStore()
      for (let i = 0; i < count; i++) {
        const session = { cookie: new Cookie({ maxAge: DAY_MS }), n: 1 }
        await new Promise((resolve) => store.set(randomBytes(24).toString('base64url'), session, resolve))
      }
      return { store, held: Object.keys(store.sessions).length }
    },
    note: 'JSON string per record (with the cookie) in a plain object; unbounded, no sweep',
  },
  'hono-sessions-memory': {
    label: 'hono-sessions `MemoryStore`',
    async fill(count) {
      const { MemoryStore } = await import('hono-sessions')
      const store = new MemoryStore()
      const at = new Date().toISOString()
      for (let i = 0; i < count; i++) {
        const sid = globalThis.crypto.randomUUID()
        store.createSession(sid, {
          _data: { n: { value: 1, flash: false } },
          _expire: new Date(Date.now() + DAY_MS).toISOString(),
          _delete: false,
          _accessed: at,
          _id: sid,
        })
      }
      return { store, held: store.data.size }
    },
    note: 'live objects in a Map; unbounded, no sweep',
  },
}

async function measureOne(id, count) {
  const gc = () => {
    globalThis.gc()
    globalThis.gc()
  }
  gc()
  const before = process.memoryUsage().heapUsed
  const { store, held } = await STORES[id].fill(count)
  gc()
  const after = process.memoryUsage().heapUsed
  const row = {
    id,
    label: STORES[id].label,
    sessions: count,
    held,
    bytesPerSession: (after - before) / held,
    note: STORES[id].note,
  }
  if (id === 'sess-memory') {
    const { memoryStore } = await import('@sess/store-memory')
    const small = memoryStore({ max: 1000 })
    const now = Date.now()
    for (let i = 0; i < 5000; i++)
      await small.set(`id${i}`, { data: {}, createdAt: now, expiresAt: now + DAY_MS, version: 1 }, 86_400)
    row.bounded = small.size <= 1000
    row.note += `; max 1,000 holds ${small.size} after 5,000 writes`
  }
  void store
  return row
}

const [, , first, second] = process.argv
if (first === '--one') {
  const [id, count] = second.split(':')
  console.log(JSON.stringify(await measureOne(id, Number(count))))
} else {
  const count = Number(first ?? 100_000)
  const rows = Object.keys(STORES).map((id) => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--one', `${id}:${count}`], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    if (r.status !== 0) throw new Error(`[bench] memory ${id} failed (${r.status ?? r.signal}): ${r.stderr}`)
    return JSON.parse(r.stdout)
  })
  const fastify = {
    id: 'fastify-session',
    label: '@fastify/session default store',
    held: undefined,
    bytesPerSession: undefined,
    note: 'not measured: it keeps live Session objects, which need a request to construct',
  }
  console.log(JSON.stringify({ count, rows: [...rows, fastify] }))
}
