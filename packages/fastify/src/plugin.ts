import { createHmac } from 'node:crypto'
import type {
  Session,
  SessionCookieOptions,
  SessionData,
  SessionHandle,
  SessionManagerOptions,
  Store,
} from '@sess/core'
import { createSessionManager, SessionConfigError } from '@sess/core'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

/** Cookie options as @fastify/session takes them: `maxAge` in milliseconds. */
export interface FastifySessionCookieOptions extends Omit<SessionCookieOptions, 'name' | 'persistent'> {
  /** Milliseconds; sets a persistent cookie and the idle timeout. Without it the cookie lasts the browser session. @default undefined */
  maxAge?: number | undefined
}

/** Plugin options, named as @fastify/session names them. */
export interface FastifySessionOptions extends Omit<SessionManagerOptions, 'cookie' | 'generateId' | 'secret'> {
  /** Secret(s) of at least 32 characters; the first signs, all verify. */
  secret: string | readonly string[]
  /** @default 'sessionId' */
  cookieName?: string | undefined
  /** @default { path: '/', httpOnly: true, secure: 'auto', sameSite: 'lax' } */
  cookie?: FastifySessionCookieOptions | undefined
  /** @default '' (the @fastify/session cookie format: id.signature) */
  cookiePrefix?: string | undefined
  /** Session id generator. @default 192 random bits, base64url */
  idGenerator?: ((request?: FastifyRequest) => string) | undefined
}

/** `request.session`: the @fastify/session API over a core session; data keys are also plain properties. */
export interface FastifySessionApi {
  readonly sessionId: string
  /** The cookie as @fastify/session describes it (`maxAge` in ms). */
  readonly cookie: { maxAge: number | null; expires: Date | null; path: string; httpOnly: boolean }
  get<K extends keyof SessionData & string>(key: K): SessionData[K] | undefined
  set<K extends keyof SessionData & string>(key: K, value: SessionData[K]): void
  /** New id, old record destroyed; `ignoreFields` are carried over (login: keep the cart, drop the rest). */
  regenerate(ignoreFields?: string[]): Promise<void>
  destroy(): Promise<void>
  reload(): Promise<void>
  save(): Promise<void>
  touch(): void
  isModified(): boolean
  /** Per-session cookie options; `maxAge` in ms ("remember me"). */
  options(opts: { maxAge?: number | null }): void
  /** The underlying core session (flash, setUser, typed data access). */
  readonly core: Session<SessionData>
}

/** `request.session`. */
export type FastifySession = FastifySessionApi & Partial<SessionData>

declare module 'fastify' {
  interface FastifyRequest {
    session: FastifySession
    sessionStore: Store
  }
}

const HANDLE = Symbol('sess.handle')
// Fastify runs on Node only, so node:crypto's HMAC (synchronous, a few µs) can stand in for Web Crypto's (an async
// job costing tens of µs of CPU per call on Node).
const hmacSync = (secret: string, data: string): string =>
  createHmac('sha256', secret).update(data).digest('base64').replace(/=+$/, '')
type WithHandle = FastifyRequest & { [HANDLE]?: SessionHandle<SessionData> }

const CORE = Symbol('sess.core')
const COOKIE = Symbol('sess.cookie')

/**
 * The API half of `request.session`. One instance per request, its methods on the prototype; the Proxy around it
 * (one shared handler) serves every other key from the session data: no closures are made per request.
 */
class Facade implements FastifySessionApi {
  readonly [CORE]: Session<SessionData>
  readonly [COOKIE]: FastifySessionCookieOptions

  constructor(s: Session<SessionData>, cookie: FastifySessionCookieOptions) {
    this[CORE] = s
    this[COOKIE] = cookie
  }
  get sessionId(): string {
    return this[CORE].id
  }
  get cookie(): FastifySessionApi['cookie'] {
    const s = this[CORE]
    const cookie = this[COOKIE]
    const maxAge = typeof s.maxAge === 'number' ? s.maxAge * 1000 : s.maxAge === null ? null : (cookie.maxAge ?? null)
    const expires = maxAge === null || s.expiresAt === 0 ? null : new Date(s.expiresAt)
    return { maxAge, expires, path: cookie.path ?? '/', httpOnly: cookie.httpOnly ?? true }
  }
  get core(): Session<SessionData> {
    return this[CORE]
  }
  get<K extends keyof SessionData & string>(key: K): SessionData[K] | undefined {
    return this[CORE].get(key)
  }
  set<K extends keyof SessionData & string>(key: K, value: SessionData[K]): void {
    this[CORE].set(key, value)
  }
  async regenerate(ignoreFields: string[] = []): Promise<void> {
    const s = this[CORE]
    const kept = ignoreFields.filter((k) => s.has(k as never)).map((k) => [k, s.get(k as never)] as const)
    await s.regenerate()
    for (const [k, v] of kept) s.set(k as never, v as never)
  }
  destroy(): Promise<void> {
    return this[CORE].destroy()
  }
  async reload(): Promise<void> {
    await this[CORE].reload()
  }
  save(): Promise<void> {
    return this[CORE].save()
  }
  touch(): void {
    this[CORE].touch()
  }
  isModified(): boolean {
    return this[CORE].isModified()
  }
  options(opts: { maxAge?: number | null }): void {
    if (opts.maxAge !== undefined) this[CORE].setMaxAge(opts.maxAge === null ? null : opts.maxAge / 1000)
  }
}

const dataOf = (target: Facade) => target[CORE].data as Record<string | symbol, unknown>
const handler: ProxyHandler<Facade> = {
  get: (target, key, receiver) =>
    typeof key === 'symbol' || key in target ? Reflect.get(target, key, receiver) : dataOf(target)[key],
  set: (target, key, value) => {
    if (typeof key === 'symbol' || key in target) return false
    dataOf(target)[key] = value
    return true
  },
  deleteProperty: (target, key) => typeof key === 'string' && !(key in target) && delete dataOf(target)[key],
  has: (target, key) => key in target || key in dataOf(target),
  ownKeys: (target) => Reflect.ownKeys(dataOf(target)),
  getOwnPropertyDescriptor: (target, key) =>
    typeof key === 'symbol' ? undefined : Reflect.getOwnPropertyDescriptor(dataOf(target), key),
}

function facade(s: Session<SessionData>, cookie: FastifySessionCookieOptions): FastifySession {
  return new Proxy(new Facade(s, cookie), handler) as unknown as FastifySession
}

const plugin: FastifyPluginAsync<FastifySessionOptions> = async (fastify, options) => {
  const { cookieName, cookie = {}, cookiePrefix, idGenerator, ...rest } = options
  if ((cookie as { expires?: unknown }).expires !== undefined) {
    throw new SessionConfigError('OPTION_INVALID', '[sess] cookie.expires is not supported; use cookie.maxAge (ms).')
  }
  const { maxAge, ...attributes } = cookie
  const manager = createSessionManager<SessionData>({
    hmacSync,
    ...rest,
    cookie: { ...attributes, name: cookieName ?? 'sessionId', persistent: maxAge !== undefined },
    cookiePrefix: cookiePrefix ?? '',
    ...(maxAge !== undefined ? { idleTimeout: maxAge / 1000 } : {}),
    ...(idGenerator ? { generateId: () => idGenerator() } : {}),
  })
  const path = manager.options.cookie.path
  fastify.decorateRequest('session', null as never)
  fastify.decorateRequest('sessionStore', { getter: () => manager.options.store })

  // Callback-style hooks: a request that only reads finishes its session synchronously, without a promise.
  fastify.addHook('onRequest', (request: WithHandle, _reply, done) => {
    // As @fastify/session: requests outside the cookie's path get no session.
    if (!request.url.startsWith(path)) return done()
    manager.load({ cookie: request.headers.cookie, secure: request.protocol === 'https' }).then((handle) => {
      request[HANDLE] = handle
      request.session = facade(handle.session, cookie)
      done()
    }, done)
  })

  fastify.addHook('onSend', (request: WithHandle, reply, payload, done) => {
    const handle = request[HANDLE]
    if (handle === undefined || handle.session.committed) return done(null, payload)
    // reply.header accumulates set-cookie values, so the app's own cookies are kept.
    const now = handle.commitSync()
    if (now !== undefined) {
      for (const value of now.setCookie) reply.header('set-cookie', value)
      return done(null, payload)
    }
    handle.commit().then(({ setCookie }) => {
      for (const value of setCookie) reply.header('set-cookie', value)
      done(null, payload)
    }, done)
  })
}

/**
 * The session plugin. Register it like @fastify/session; `request.session` is ready in every later hook and handler.
 *
 * @example
 * ```ts
 * await app.register(sessionPlugin, { secret: process.env.SESSION_SECRET, store: memoryStore() })
 * app.get('/', async (request) => {
 *   request.session.views = (request.session.views ?? 0) + 1
 *   return { views: request.session.views }
 * })
 * ```
 */
export const sessionPlugin: FastifyPluginAsync<FastifySessionOptions> = fp(plugin, {
  name: '@sess/fastify',
  fastify: '5.x',
})
