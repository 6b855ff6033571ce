/** @module @sess/hono — Hono session middleware on @sess/core, for Node, Bun, Deno and Cloudflare Workers. */

export { lazySession, session } from './middleware.js'
export type { HonoSessionOptions, LazySessionEnv, SessionEnv } from './options.js'
export type { SealedCookieStore, Session, SessionData, SessionRecord, Store, StoredSession } from '@sess/core'
export {
  explainEvents,
  sealedCookie,
  isSessionError,
  SessionConfigError,
  SessionError,
  SessionStateError,
  SessionStoreError,
} from '@sess/core'
