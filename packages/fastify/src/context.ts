import { randomBytes } from 'node:crypto'
import type { LoadInput, SessionData, SessionManager, Store } from '@sess/core'
import { createSessionManager } from '@sess/core'
import type { FastifyRequest } from 'fastify'
import { fromCallbackStore, isCallbackStore } from './callback-store.js'
import { MemoryStore, nativeStore } from './memory-store.js'
import type { CookieDefaults, FastifySessionOptions } from './options.js'
import { resolveCookie } from './options.js'
import type { CookieSignerLike } from './signer.js'
import { createSigner } from './signer.js'
import { requestInputs } from './request-inputs.js'

/** What every request of one registration shares. */
export interface PluginContext {
  readonly manager: SessionManager<SessionData>
  readonly signer: CookieSignerLike
  readonly cookieName: string
  readonly prefix: string
  readonly cookie: CookieDefaults
  /** The store core writes to. */
  readonly store: Store
  /** The store the app gave (or the default MemoryStore): `request.sessionStore`. */
  readonly publicStore: unknown
  /** True when the app's store is callback-style: its own errors reach the app's callbacks and promises. */
  readonly callbackStore: boolean
  readonly saveUninitialized: boolean
  readonly rolling: boolean
  readonly idGenerator: ((request?: FastifyRequest) => string) | undefined
  /** A `cookie.maxAge` under a second, in seconds, handed to core per request (its options take whole seconds). */
  readonly subSecondMaxAge: number | undefined
  /** What core reads about the request beyond the cookie (opt-in device, diagnostics); undefined when nothing. */
  readonly inputs: ((request: FastifyRequest) => Partial<LoadInput>) | undefined
}

/** Name and signature of the cookie core would write; it never leaves the process (the plugin writes its own). */
const CORE_COOKIE = 'sess'
const VERIFIED = 'verified'

/**
 * Options to context. The app's cookie is verified here, with the app's signer (@fastify/cookie's format, a custom
 * signer object, a secret array changed at run time), and core receives the verified id as `verifiedId`: core
 * never sees or produces the client's cookie, only decides and stores.
 */
export function createContext(options: FastifySessionOptions): PluginContext {
  const {
    secret,
    algorithm,
    store,
    cookieName,
    cookiePrefix,
    cookie,
    idGenerator,
    saveUninitialized = true,
    rolling = true,
    ...core
  } = options
  const defaults = resolveCookie(cookie)
  const publicStore = store ?? new MemoryStore()
  const idleTimeout = defaults.maxAge === null ? core.idleTimeout : Math.max(1, defaults.maxAge / 1000)
  const now = core.clock ? () => core.clock!.now() : Date.now
  const shape = {
    attributes: { path: defaults.path, httpOnly: defaults.httpOnly, secure: defaults.secure, domain: defaults.domain },
    maxAge: defaults.maxAge,
    idleMs: (idleTimeout ?? 86_400) * 1000,
    now,
  }
  const callbackStore = nativeStore(publicStore) === undefined && isCallbackStore(publicStore)
  const coreStore =
    nativeStore(publicStore) ??
    (callbackStore ? fromCallbackStore(publicStore as never, shape) : (publicStore as Store))
  const manager = createSessionManager<SessionData>({
    ...core,
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    secret: randomBytes(32).toString('base64url'),
    hmacSync: () => VERIFIED,
    cookiePrefix: '',
    cookie: { name: CORE_COOKIE, persistent: defaults.maxAge !== null, secure: false, sameSite: false },
    store: coreStore,
    saveUninitialized,
    rolling: false,
  })
  return {
    manager,
    signer: createSigner(secret, algorithm ?? 'sha256'),
    cookieName: cookieName ?? 'sessionId',
    prefix: cookiePrefix ?? '',
    cookie: defaults,
    store: coreStore,
    publicStore,
    callbackStore,
    saveUninitialized,
    rolling,
    idGenerator,
    subSecondMaxAge: defaults.maxAge !== null && defaults.maxAge < 1000 ? defaults.maxAge / 1000 : undefined,
    inputs: requestInputs(core.device, core.onEvent !== undefined),
  }
}
