/** @module @sess/fastify — Fastify 5 session plugin on @sess/core, shaped like @fastify/session. */

export { sessionPlugin } from './plugin.js'
export type { FastifySession, FastifySessionApi, FastifySessionCookieOptions, FastifySessionOptions } from './plugin.js'
export type { Session, SessionData, Store, StoredSession } from '@sess/core'
export { isSessionError, SessionConfigError, SessionError, SessionStateError, SessionStoreError } from '@sess/core'
