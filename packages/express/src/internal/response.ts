import type { ServerResponse } from 'node:http'
import type { Store as CoreStore, SessionHandle } from '@sess/core'
import { getCookieValues, SessionStoreError } from '@sess/core'
import type { NextFunction, Request, Response } from 'express'
import { customCookie, cookieChanged } from './cookie.js'
import type { Session } from './session.js'
import type { Slots } from './slots.js'
import { releaseResponse } from './slots.js'
import type { Attached } from './request-state.js'

/** What every request of one middleware shares. */
export interface ResponseSettings {
  name: string
  unset: 'keep' | 'destroy'
  rolling: boolean
  /** The error a store failure hands to `next(err)` and callbacks (the store's own, for express-session stores). */
  error(error: unknown): unknown
}

/**
 * One request's session on the response: appends Set-Cookie when headers are written and holds `res.end` until
 * the store write has completed. Per-request state lives on this one object; {@link hookResponse} installs it.
 */
export class ResponseHook {
  readonly writeHead: (this: ServerResponse, ...args: unknown[]) => ServerResponse
  readonly end: (this: ServerResponse, ...args: unknown[]) => ServerResponse
  committed: string[] | undefined
  /**
   * `open` until res.end; `ending` while the commit runs; then `done`, or `saved` when the response ended right
   * after a synchronous store write: a later `res.end` is then ignored, as express-session ignores one during its
   * (always asynchronous) save, where after `done` Node's own rules apply.
   */
  state: 'open' | 'ending' | 'done' | 'saved' = 'open'
  modified = false
  /** Set-Cookie was appended by the first writeHead. */
  headersAppended = false
  /** The request's slots when the hook runs through the prototype methods; it leaves them once the response ended. */
  slots: Slots | undefined = undefined
  /** The app's `genid` for this request, let go of with the hook (see {@link RequestIds}). */
  ids: RequestIds | undefined = undefined

  constructor(
    readonly settings: ResponseSettings,
    readonly handle: SessionHandle<object>,
    readonly store: CoreStore,
    readonly sess: Session,
    /** The session's request state, read here directly rather than through the `req.session` Proxy. */
    readonly request: Attached,
    readonly secure: boolean,
    /** The configured `cookie.secure` is `true`: no cookie over plain HTTP. */
    readonly secureOnly: boolean,
    /**
     * Where `req.session` and `req.sessionID` are read: the request's slots, or the request itself. Never the
     * request when it has slots: the hook is reachable from them (slots.ts says why that matters).
     */
    readonly holder: { session?: unknown; sessionID?: unknown },
    /** The request's Cookie header. */
    readonly cookieHeader: string | undefined,
    /** The `writeHead` and `end` to go on with: the response's own before it was wrapped, or Node's. */
    originals: { writeHead: unknown; end: unknown },
    /** Express's `next` (it holds the request), until the response has ended. */
    public next: NextFunction | undefined,
  ) {
    this.writeHead = originals.writeHead as ResponseHook['writeHead']
    this.end = originals.end as ResponseHook['end']
  }

  /** The app replaced or deleted `req.session` (not by `destroy()`). */
  unsetByApp(): boolean {
    return this.holder.session !== this.sess && !this.request.destroyed
  }

  /** No session to save: unset and kept, or a `req.sessionID` the app replaced by a non-string (express-session). */
  skipped(): boolean {
    return typeof this.holder.sessionID !== 'string' || (this.unsetByApp() && this.settings.unset === 'keep')
  }

  /** The cookies for this response, as express-session would send them. */
  final(values: string[]): string[] {
    if (values.length === 0) return values
    const cookie = this.request.cookie
    // Over plain HTTP a `secure: true` cookie is not sent at all (express-session); the session is still saved.
    if ((cookie === undefined ? this.secureOnly : cookie.secure === true) && !this.secure) return []
    const value = values[0] as string
    const eq = value.indexOf('=')
    const end = value.indexOf(';')
    const raw = value.slice(eq + 1, end === -1 ? undefined : end)
    // Without rolling, an unchanged session's cookie is not sent again just to move its expiry (express-session).
    const changed = cookie !== undefined && cookieChanged(cookie)
    if (!this.settings.rolling && !this.modified && !changed && raw !== '' && this.sameAsRequest(raw)) return []
    if (raw === '' || !changed) return values
    return [customCookie(cookie, this.settings.name, decodeURIComponent(raw)) ?? value]
  }

  sameAsRequest(raw: string): boolean {
    const value = decodeURIComponent(raw)
    return getCookieValues(this.cookieHeader, this.settings.name).includes(value)
  }

  /** The cookies for headers written before the commit (a synchronous prediction). */
  peek(): string[] {
    if (this.skipped()) return []
    this.modified ||= this.request.modifiedInRequest()
    return this.final(this.handle.peekSetCookie() ?? [])
  }

  /**
   * Commits synchronously when no store call is due; undefined when the commit must wait. Nothing is pending then,
   * so the session is unchanged since any save() (no change tracking to compute on a read).
   */
  commitSync(): string[] | undefined {
    if (this.skipped()) return []
    if (this.unsetByApp()) return undefined
    const result = this.handle.commitSync()
    if (result === undefined) return undefined
    this.modified ||= this.request.modified
    return this.final(result.setCookie)
  }

  /** Before an asynchronous commit: whether the app changed the session, which decides cookie and failure rules. */
  prepare(): boolean {
    this.modified ||= this.request.modifiedInRequest()
    return !this.modified || this.unsetByApp()
  }

  /**
   * The commit when a store call is due: synchronous when the store answers synchronously (the memory store), so
   * the response ends at once, without a Promise per request; a Promise otherwise.
   */
  write(): string[] | Promise<string[]> {
    if (this.unsetByApp()) return this.destroyUnset()
    const result = this.handle.finish()
    return result instanceof Promise ? result.then((r) => this.final(r.setCookie)) : this.final(result.setCookie)
  }

  /** Runs the response's own `end` once the session is settled, then lets go of the request (slots.ts says why). */
  finish(res: ServerResponse, args: unknown[], state: 'done' | 'saved' = 'done'): ServerResponse {
    this.state = state
    const ended = this.end.apply(res, args)
    this.next = undefined
    if (this.ids !== undefined) this.ids.req = undefined
    // A `saved` hook stays to ignore a later end; it no longer reaches the request either way.
    if (state === 'done' && this.slots !== undefined) releaseResponse(this.slots, this, res)
    return ended
  }

  /** The commit of a session the app unset (`req.session = null`, `delete req.session`): it is destroyed first. */
  async destroyUnset(): Promise<string[]> {
    const session = this.handle.session
    // express-session removes the id from the store even when it was never saved; so its errors surface alike.
    // (The id was never stored nor sent: an error naming it reveals nothing.)
    if (session.isNew) {
      try {
        await this.store.destroy(session.id)
      } catch (cause) {
        storeFailure(cause)
      }
    }
    await session.destroy()
    return this.final((await this.handle.commit()).setCookie)
  }
}

/**
 * The app's `genid` bound to one request for core's `generateId`, through a field the hook clears when the
 * response has ended: the session state keeps the function, and a closure over `req` would keep the request alive.
 */
export class RequestIds {
  constructor(
    readonly genid: (req: Request) => string,
    public req: Request | undefined,
  ) {}
  readonly next = (): string => this.genid(this.req as Request)
}

function storeFailure(cause: unknown): never {
  throw new SessionStoreError('STORE_FAILURE', 'destroy', "[sess] The session store's destroy failed; see the cause.", {
    cause,
  })
}

/**
 * Hooks `res.writeHead` and `res.end` of one response with two closures over the hook: the path for a response
 * that cannot use the prototype methods of slots.ts (wrapped before sess ran, or not an Express response). Each
 * property added to an Express response costs a new hidden class; a symbol-keyed slot for the hook plus shared
 * wrapper functions measured about 25 µs more per request than these two closures.
 */
export function hookResponse(hook: ResponseHook, res: Response): void {
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    return writeHeadWith(this, hook, args)
  } as typeof res.writeHead
  res.end = function end(this: ServerResponse, ...args: unknown[]) {
    return endWith(this, hook, args)
  } as typeof res.end
}

/** Set-Cookie on the first `writeHead` of a hooked response. */
export function writeHeadWith(res: ServerResponse, hook: ResponseHook, args: unknown[]): ServerResponse {
  // Set-Cookie goes on once, with the first writeHead; later calls go straight to the original.
  if (hook.headersAppended) return hook.writeHead.apply(res, args)
  hook.headersAppended = true
  const status = args[0] as number
  let reason: unknown
  let headers = args[1] as Record<string, string | string[]> | [string, string][] | string[] | string | undefined
  if (typeof headers === 'string') {
    reason = headers
    headers = args[2] as typeof headers
  }
  // Apply the headers passed here first, or they would replace the cookies appended below (as on-headers does).
  if (Array.isArray(headers) && headers.length > 0 && !Array.isArray(headers[0])) {
    for (let i = 0; i < headers.length; i += 2) res.appendHeader(headers[i] as string, headers[i + 1] as string)
  } else if (headers && typeof headers === 'object') {
    for (const [key, value] of Array.isArray(headers) ? (headers as [string, string][]) : Object.entries(headers)) {
      res.setHeader(key, value)
    }
  }
  for (const value of hook.committed ?? hook.peek()) res.appendHeader('Set-Cookie', value)
  return reason === undefined ? hook.writeHead.call(res, status) : hook.writeHead.call(res, status, reason)
}

/** `end` of a hooked response: commits the session first. */
export function endWith(res: ServerResponse, hook: ResponseHook, args: unknown[]): ServerResponse | boolean {
  // A second res.end while the session is saved does nothing (express-session); once done, Node's own rules apply.
  if (hook.state === 'ending' || hook.state === 'saved') return false
  if (hook.state === 'done') return hook.end.apply(res, args)
  hook.state = 'ending'
  // Nothing to write (a read): finish now, as the app asked, instead of after a deferred commit.
  const now = hook.commitSync()
  if (now !== undefined) {
    hook.committed = now
    return hook.finish(res, args)
  }
  // A write the app did not ask for cannot fail its response: the headers go out now, as express-session sends
  // them, and a failure reaches next(err) after the response. A failed write of the app's changes fails the request.
  const incidental = hook.prepare()
  if (incidental && !hook.unsetByApp() && !res.headersSent) res.writeHead(res.statusCode)
  const written = hook.write()
  if (!(written instanceof Promise)) {
    hook.committed = written
    return hook.finish(res, args, 'saved')
  }
  written.then(
    (values) => {
      hook.committed = values
      hook.finish(res, args)
    },
    (error: unknown) => {
      hook.committed = []
      const next = hook.next as NextFunction
      if (incidental || res.headersSent) {
        hook.finish(res, args)
        setImmediate(() => next(hook.settings.error(error)))
      } else {
        hook.state = 'done'
        hook.next = undefined
        next(hook.settings.error(error))
      }
    },
  )
  return res
}
