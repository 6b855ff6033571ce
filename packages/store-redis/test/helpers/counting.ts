import type { RedisClientLike } from '../../src/index.js'
import type { TestClient } from './clients.js'

/** A client wrapper that counts the commands the store hands to the client library. */
export interface CountingClient {
  readonly client: RedisClientLike
  readonly sent: number
}

/** Wraps `sendCommand` (node-redis) and `call` (ioredis); everything else passes through to the real client. */
export function countCommands(inner: RedisClientLike): CountingClient {
  let sent = 0
  const target = inner as unknown as Record<string | symbol, unknown>
  const client = new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object)
      if (typeof value !== 'function') return value
      if (property === 'sendCommand' || property === 'call') {
        return (...args: unknown[]) => {
          sent++
          return (value as (...a: unknown[]) => unknown).apply(object, args)
        }
      }
      return (value as (...a: unknown[]) => unknown).bind(object)
    },
  }) as unknown as RedisClientLike
  return {
    client,
    get sent() {
      return sent
    },
  }
}

/** Calls per command name from `INFO commandstats`, summed over every master. */
export async function commandStats(tc: TestClient): Promise<Map<string, number>> {
  const totals = new Map<string, number>()
  for (const info of await tc.onEachMaster('INFO', 'commandstats')) {
    for (const match of String(info).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      totals.set(match[1]!, (totals.get(match[1]!) ?? 0) + Number(match[2]))
    }
  }
  return totals
}

/** What ran on the server between two snapshots, leaving out the INFO calls that took them. */
export function statsDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>()
  for (const [name, calls] of after) {
    const d = calls - (before.get(name) ?? 0)
    if (d > 0 && name !== 'info') delta.set(name, d)
  }
  return delta
}
