import { SessionStoreError } from '@sess/core'
import type { Send } from './driver.js'

/**
 * Walks one node's keyspace with SCAN (never KEYS, which blocks the server for the whole keyspace), handing each
 * non-empty batch of matching keys to `onBatch`. SCAN may return a key twice; callers must not mind.
 */
export async function scanNode(
  send: Send,
  pattern: string,
  type: string | undefined,
  onBatch: (keys: string[]) => Promise<void> | void,
): Promise<void> {
  let cursor = '0'
  do {
    const args = ['SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000']
    if (type !== undefined) args.push('TYPE', type)
    const reply = await send(args)
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
      throw new SessionStoreError(
        'STORE_FAILURE',
        'scan',
        '[sess] [store-redis] SCAN gave an unexpected reply; use a Redis 6.0+ server (SCAN with TYPE).',
      )
    }
    cursor = String(reply[0])
    const keys = (reply[1] as unknown[]).map(String)
    if (keys.length > 0) await onBatch(keys)
  } while (cursor !== '0')
}
