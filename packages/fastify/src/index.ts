/** @module @sess/fastify — a drop-in for @fastify/session on @sess/core. */

import { fastifySession } from './plugin.js'

export { fastifySession }
/** The plugin under its earlier name. */
export const sessionPlugin: typeof fastifySession = fastifySession
// biome-ignore lint/style/noDefaultExport: `import fastifySession from '@fastify/session'` is the peer's documented import.
export default fastifySession
export { MemoryStore, MemoryStore as Store } from './memory-store.js'
export type { Callback, CallbackStore } from './callback-store.js'
export type { FastifySessionCookieOptions, FastifySessionOptions, SameSiteOption } from './options.js'
export type { FastifySession, FastifySessionApi } from './session.js'
export type { DestroyUserSessionsOptions } from './devices.js'
export type { SessionCookie } from './session-cookie.js'
export type { SessionStore } from './plugin.js'
export type { CookieSignerLike, UnsignResult } from './signer.js'
export type { Session, SessionData, SessionRecord, StoredSession, UserDevice, UserSession } from '@sess/core'
export { isSessionError, SessionConfigError, SessionError, SessionStateError, SessionStoreError } from '@sess/core'
