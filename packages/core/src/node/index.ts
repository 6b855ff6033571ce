/// <reference types="node" />
/**
 * @module @sess/core/node — the Node-only half of core: synchronous crypto for adapters that must sign inside a
 * synchronous hook (Express's `writeHead`, Fastify's `onSend`) and stores that hash ids synchronously. Kept out of
 * the main entry, so the edge bundle never sees `node:crypto`.
 */
import { createHash, createHmac } from 'node:crypto'
import type { SyncHMAC } from '../crypto/sign.js'

/**
 * HMAC-SHA-256 in base64 without padding, synchronously through `node:crypto`: pass it as `hmacSync` to
 * `createSessionManager`. Gives the same signatures as the Web Crypto path.
 */
export const nodeHMAC: SyncHMAC = (secret, data) =>
  createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')

/** `hashSessionId` synchronously: the lowercase hex SHA-256 of the id's UTF-8 bytes. */
export function hashSessionIdSync(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex')
}
