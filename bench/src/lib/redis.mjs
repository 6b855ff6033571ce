// Redis accounting: INFO commandstats deltas (every command the server ran, those inside Lua scripts included) and
// a MONITOR capture that tells the commands clients sent (round trips) from those scripts ran.
import { connect } from 'node:net'
import { createClient } from 'redis'

export async function controlClient(url) {
  const client = createClient({ url })
  client.on('error', (error) => console.error('[bench] redis control:', error.message))
  await client.connect()
  return client
}

/** Calls per command name since the server started (or the last CONFIG RESETSTAT). */
export async function commandStats(client) {
  const text = await client.info('commandstats')
  const calls = new Map()
  for (const line of text.split(/\r?\n/)) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line)
    if (m) calls.set(m[1], Number(m[2]))
  }
  return calls
}

const CONTROL = new Set(['info', 'flushall', 'config|resetstat', 'monitor', 'ping'])

/** The difference of two commandStats snapshots, without the control client's own commands. */
export function diffStats(before, after) {
  const delta = new Map()
  for (const [name, calls] of after) {
    const d = calls - (before.get(name) ?? 0)
    if (d > 0 && !CONTROL.has(name)) delta.set(name, d)
  }
  return delta
}

/**
 * Starts MONITOR on a raw connection. `stop()` resolves to the commands seen, split into those clients sent and
 * those Lua scripts ran: `{ client: Map<name, n>, script: Map<name, n> }`.
 */
export async function monitor(port, host = '127.0.0.1') {
  const socket = connect(port, host)
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  let buffer = ''
  const client = new Map()
  const script = new Map()
  let ok
  const started = new Promise((resolve) => (ok = resolve))
  socket.setEncoding('utf8')
  socket.on('data', (chunk) => {
    buffer += chunk
    let nl = buffer.indexOf('\r\n')
    while (nl !== -1) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 2)
      nl = buffer.indexOf('\r\n')
      if (line === '+OK') {
        ok()
        continue
      }
      const m = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line)
      if (!m) continue
      const name = m[2].toLowerCase()
      const into = m[1] === 'lua' ? script : client
      into.set(name, (into.get(name) ?? 0) + 1)
    }
  })
  socket.write('MONITOR\r\n')
  await started
  return {
    async stop() {
      // MONITOR lines trail the commands by a moment.
      await new Promise((resolve) => setTimeout(resolve, 100))
      socket.destroy()
      return { client: new Map(client), script: new Map(script) }
    },
  }
}

export const total = (map) => [...map.values()].reduce((a, b) => a + b, 0)

/** "evalsha 1, hgetall 1" per request, for the report. */
export function perRequest(map, requests, digits = 2) {
  if (requests <= 0) return ''
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name.toUpperCase()} ${Number((n / requests).toFixed(digits))}`)
    .join(', ')
}
