import type { Store as CoreStore, SessionHandle } from '@sess/core'
import type { NextFunction, Response } from 'express'
import type { CookieOptions } from './cookie.js'
import type { Originals } from './prototypes.js'
import type { SessionContext } from './request-state.js'
import { Attached } from './request-state.js'
import type { RequestIds, ResponseSettings } from './response.js'
import { hookResponse, ResponseHook } from './response.js'
import { attachSession } from './session.js'
import type { Slots } from './slots.js'

/** Where `req.session`, `req.sessionID` and `req.sessionStore` are kept: the request's slots, or the request. */
export type Holder = { session?: unknown; sessionID?: unknown; sessionStore?: unknown }

/** What every request of one middleware shares when its session has loaded. */
export interface AttachSettings {
  /** express-session's `resave`. */
  readonly resave: boolean
  readonly context: SessionContext
  readonly response: ResponseSettings
  readonly store: CoreStore
}

/**
 * A loaded session onto its request: `req.session`, `req.sessionID`, the response hook, then `next()`. A plain
 * function of what the middleware read, called at once when the store answered synchronously: no closure per request.
 */
export function attach(
  s: AttachSettings,
  handle: SessionHandle<object>,
  holder: Holder,
  /** The request's cookie options, as express-session takes them. */
  c: CookieOptions,
  secure: boolean,
  /** The request's Cookie header. */
  header: string | undefined,
  ids: RequestIds | undefined,
  slots: Slots | undefined,
  /** Node's response methods when the hook runs through the prototype methods; undefined to wrap `res`. */
  originals: Originals | undefined,
  res: Response,
  next: NextFunction,
): void {
  // express-session's resave: keep the session alive on every request (a touch, never a rewrite).
  if (s.resave && !handle.session.isNew) handle.session.touch()
  const state = new Attached(s.context, handle, holder, c, secure)
  const sess = attachSession(state)
  holder.session = sess
  holder.sessionID = handle.session.id
  const secureOnly = c.secure === true
  const hook = new ResponseHook(
    s.response,
    handle,
    s.store,
    sess,
    state,
    secure,
    secureOnly,
    holder,
    header,
    originals ?? res,
    next,
  )
  hook.ids = ids
  if (originals !== undefined && slots !== undefined) {
    slots.hook = hook
    hook.slots = slots
  } else hookResponse(hook, res)
  next()
}
