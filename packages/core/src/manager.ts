import { userSessions } from './admin.js'
import type { UserSessions } from './admin.js'
import type { CookieCodec } from './codec/codec.js'
import { SealedCodec } from './codec/sealed.js'
import { SignedCodec } from './codec/signed.js'
import { getCookieValues } from './cookie/parse.js'
import { ResponseCookie } from './cookie/response-cookie.js'
import { generateSessionId } from './crypto/random.js'
import { CookieSealer } from './crypto/seal.js'
import { CookieSigner } from './crypto/sign.js'
import type { SessionHandle } from './handle.js'
import { Handle } from './handle.js'
import type { ResolvedOptions, SessionEvent, SessionManagerOptions } from './options.js'
import { resolveOptions } from './options.js'
import { RecordReader } from './reading/record-reader.js'
import { loadState } from './reading/load-state.js'
import type { SessionData } from './session/session.js'
import { Session } from './session/session.js'
import type { SessionServices } from './session/state.js'

/** What an adapter knows about the request. */
export interface LoadInput {
  /** The raw `Cookie` header, if any. */
  cookie?: string | null | undefined
  /** Whether the request arrived over HTTPS (decides `Secure` when `cookie.secure` is `'auto'`). */
  secure?: boolean | undefined
  /** Id generator for this request's session, overriding `generateId` (express-session's `genid(req)`). */
  generateId?: (() => string) | undefined
}

/** Creates handles per request and administers sessions across requests. */
export interface SessionManager<Data extends object = SessionData> extends UserSessions {
  /** The resolved options (defaults applied). */
  readonly options: ResolvedOptions
  /** Loads the session a request's cookies name. Never throws for bad cookies; throws SessionStoreError on store failure. */
  load(input: LoadInput): Promise<SessionHandle<Data>>
}

/**
 * Creates a session manager: validates options once (throwing {@link SessionConfigError}), imports keys lazily once
 * per secret, and loads/commits sessions for an adapter.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ secret: process.env.SESSION_SECRET, store: memoryStore() })
 * const handle = await manager.load({ cookie: request.headers.get('cookie'), secure: url.protocol === 'https:' })
 * handle.session.set('views', (handle.session.get('views') ?? 0) + 1)
 * const { setCookie } = await handle.commit()
 * for (const value of setCookie) response.headers.append('set-cookie', value)
 * ```
 */
export function createSessionManager<Data extends object = SessionData>(
  options: SessionManagerOptions<Data>,
): SessionManager<Data> {
  const o = resolveOptions(options as SessionManagerOptions<unknown>)
  const emit = (event: SessionEvent): void => {
    try {
      o.onEvent?.(event)
    } catch {
      // An observer must not break a request.
    }
  }
  const services: SessionServices = {
    options: o,
    rules: {
      idleTimeout: o.idleTimeout,
      absoluteTimeout: o.absoluteTimeout,
      touchAfter: o.touchAfter,
      rolling: o.rolling,
      saveUninitialized: o.saveUninitialized,
      persistent: o.cookie.persistent,
    },
    reader: new RecordReader(o, emit),
    emit,
  }
  const codec: CookieCodec = o.sealed
    ? new SealedCodec(new CookieSealer(o.secrets, o.cookieName))
    : new SignedCodec(new CookieSigner(o.secrets, o.cookiePrefix, o.hmacSync), o.store)
  const cookie = new ResponseCookie(o.cookieName, o.cookie)
  const defaultId = o.generateId ?? generateSessionId

  const load = async (input: LoadInput): Promise<SessionHandle<Data>> => {
    const candidates = getCookieValues(input.cookie, o.cookieName)
    const state = await loadState(services, codec, candidates, input.generateId ?? defaultId)
    const session = new Session<Data>(state)
    return new Handle({ session, state, codec, cookie, secure: input.secure === true })
  }
  return { options: o, load, ...userSessions(o) }
}
