import type { SessionStoreError } from '@sess/core'
import { isSessionError } from '@sess/core'
import type { FastifyRequest } from 'fastify'

// Node's socket errors, and the error names drivers give a lost or unreachable server (node-redis, ioredis, the
// MongoDB driver, pg): what "the store is down for now" looks like.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])
const NETWORK_NAMES = /Connection|Socket|Network|Timeout|ServerSelection|ClientClosed|Unavailable/
const NETWORK_MESSAGES = /connection is closed|ECONNREFUSED/i

/** True when the store is unreachable or too slow (a timeout, a socket error), rather than failing otherwise. */
function isOutage(error: SessionStoreError): boolean {
  if (error.code === 'STORE_TIMEOUT') return true
  let cause: unknown = error.cause
  for (let depth = 0; depth < 4 && typeof cause === 'object' && cause !== null; depth++) {
    const { code, name, message } = cause as { code?: unknown; name?: unknown; message?: unknown }
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true
    if (typeof name === 'string' && NETWORK_NAMES.test(name)) return true
    if (typeof message === 'string' && NETWORK_MESSAGES.test(message)) return true
    cause = (cause as { cause?: unknown }).cause
  }
  return false
}

/**
 * A store failure as the client sees it: 503 for an outage (retry later), 500 for any other store error, never the
 * store's or sess's message. The cause goes to Fastify's logger (never with the session id); an app's error handler
 * gets a SessionStoreError with `statusCode` and the original error as `cause`. Other errors pass unchanged.
 */
export function storeFailure(request: FastifyRequest, error: unknown): unknown {
  if (!isSessionError(error) || error.name !== 'SessionStoreError') return error
  const failure = error as SessionStoreError
  const statusCode = isOutage(failure) ? 503 : 500
  request.log.error({ err: failure }, `[sess] session store ${failure.operation} failed; answering ${statusCode}`)
  const shown = Object.create(Object.getPrototypeOf(failure)) as SessionStoreError
  return Object.assign(shown, {
    name: failure.name,
    code: failure.code,
    operation: failure.operation,
    message: statusCode === 503 ? 'Session store unavailable' : 'Session store error',
    cause: failure,
    statusCode,
    stack: failure.stack,
  })
}
