/** @module @sess/express — a drop-in replacement for express-session on @sess/core. */
import { session } from './middleware.js'

export { session } from './middleware.js'
export type { SessionMiddlewareFactory, SessionOptions } from './middleware.js'
export type { SessionData, SessionStore } from './augment.js'
export { Cookie } from './internal/cookie.js'
export { Session } from './internal/session.js'
export type { CookieOptions } from './internal/cookie.js'
export type { ExpressSessionEvent } from './internal/request-state.js'
export type { RegenerateOptions } from './internal/session.js'
export type { DestroyUserSessionsOptions } from './internal/devices.js'
export { MemoryStore } from './internal/memory-store.js'
export { isStoreError } from './internal/store-error.js'
export { Store } from './internal/stores.js'
export type {
  Callback,
  ExpressStore,
  ExpressStoreLike,
  LegacyRecord,
  StoreBase,
  StoreConstructor,
} from './internal/stores.js'
export { isSessionError, SessionConfigError, SessionError, SessionStateError, SessionStoreError } from '@sess/core'
export type { UserDevice, UserSession } from '@sess/core'
export type { MemoryStoreOptions } from '@sess/store-memory'

// biome-ignore lint/style/noDefaultExport: express-session's API is its default export (`import session from 'express-session'`); a drop-in must match.
export default session
