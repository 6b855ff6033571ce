import type { SessionData as CoreSessionData, Store as CoreStore } from '@sess/core'
import type { Session } from './internal/session.js'
import type { ExpressStoreLike } from './internal/stores.js'

/**
 * The data of `req.session`. Augment it (or `@sess/core`'s, which it extends) to type the session, as with
 * @types/express-session: `declare module '@sess/express' { interface SessionData { views: number } }`.
 */
export interface SessionData extends CoreSessionData {}

/** What `req.sessionStore` holds: the store passed in the options. */
export type SessionStore = CoreStore | ExpressStoreLike

declare global {
  namespace Express {
    interface Request {
      /** The request's session: data as properties, plus express-session's methods. */
      session: Session & Partial<SessionData>
      /** The session id (it changes on regenerate). Never log it. */
      sessionID: string
      /** The store the middleware was given. */
      sessionStore: SessionStore
    }
  }
}
