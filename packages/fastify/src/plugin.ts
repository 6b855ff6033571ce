import type { Store } from '@sess/core'
import type { FastifyPluginCallback, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { CallbackStore } from './callback-store.js'
import type { PluginContext } from './context.js'
import { createContext } from './context.js'
import { finish } from './finish-session.js'
import { cookieValue, inPath, load } from './load-session.js'
import type { FastifySessionCookieOptions, FastifySessionOptions } from './options.js'
import { checkOptions } from './options.js'
import type { FastifySession } from './session.js'
import { sessionFacade } from './session.js'
import type { SessionState } from './session-state.js'
import { storeFailure } from './store-failure.js'

const STATE = Symbol('sess.fastify.request')
type WithState = FastifyRequest & { [STATE]?: SessionState }

const plugin: FastifyPluginCallback<FastifySessionOptions> = (fastify, options, next) => {
  const invalid = checkOptions(options)
  if (invalid) return next(invalid)
  let ctx: PluginContext
  try {
    ctx = createContext(options)
  } catch (error) {
    return next(error as Error)
  }

  fastify.decorate(
    'decryptSession',
    (value: string, target: object, opts: FastifySessionCookieOptions | Callback, callback?: Callback) => {
      const done = (typeof opts === 'function' ? opts : callback) as Callback
      const loaded = load(ctx, target as FastifyRequest, value)
      const decrypted = (state: SessionState): void => {
        const session = sessionFacade(state)
        if (typeof opts === 'object' && opts !== null) session.options(opts)
        ;(target as FastifyRequest).session = session as FastifyRequest['session']
        done()
      }
      // Called back at once when the session loaded synchronously (the memory store), as @fastify/session does.
      if (loaded instanceof Promise) loaded.then(decrypted, done)
      else decrypted(loaded)
    },
  )
  fastify.decorateRequest('sessionStore', { getter: () => ctx.publicStore as SessionStore })
  fastify.decorateRequest('session', null as never)

  fastify.addHook('onRequest', (request: WithState, _reply, done) => {
    // As @fastify/session: outside the cookie's path the session is an empty object.
    if (!inPath(request.url, ctx.cookie.path)) return ((request.session = {} as FastifyRequest['session']), done())
    const loaded = load(ctx, request, cookieValue(ctx, request))
    // At once when the session loaded synchronously (the memory store): no Promise, no deferred hook.
    if (!(loaded instanceof Promise)) return attach(request, loaded, done)
    loaded.then(
      (state) => attach(request, state, done),
      (error) => done(storeFailure(request, error) as Error),
    )
  })

  fastify.addHook('onSend', (request: WithState, reply, payload, done) => {
    const state = request[STATE]
    // No session, or the error response of a failed one (the failure already reached the error handler).
    if (state === undefined || state.failed) return done(null, payload)
    // A second send while the first waits for the store (an early reply from an async hook that did not return
    // it): whichever send is still unwritten once the session is stored goes out, with the cookie.
    try {
      state.finishing ??= finish(state, reply) ?? null
    } catch (error) {
      state.failed = true
      return done(storeFailure(request, error) as Error)
    }
    if (state.finishing === null) return done(null, payload)
    state.finishing.then(
      () => reply.raw.headersSent || done(null, payload),
      (error) => reply.raw.headersSent || ((state.failed = true), done(storeFailure(request, error) as Error)),
    )
  })
  next()
}

type Callback = (error?: unknown) => void

function attach(request: WithState, state: SessionState, done: () => void): void {
  request[STATE] = state
  request.session = sessionFacade(state) as FastifyRequest['session']
  done()
}

/** `request.sessionStore`: a `@sess/*` store, or a callback store (the default MemoryStore is one). */
export type SessionStore = Store | CallbackStore

declare module 'fastify' {
  /** Session data keys, for apps typed as for @fastify/session (`declare module 'fastify' { interface Session }`). */
  interface Session {}
  interface FastifyRequest {
    /** The request's session (null after `destroy()`, as with @fastify/session). */
    session: FastifySession & Partial<Session>
    /** The store the plugin was given (or its default MemoryStore). */
    sessionStore: SessionStore
  }
  interface FastifyInstance {
    /** Loads the session a signed cookie value names onto `request.session`, as @fastify/session's. */
    decryptSession(
      value: string,
      request: object,
      options: FastifySessionCookieOptions | ((error?: unknown) => void),
      callback?: (error?: unknown) => void,
    ): void
  }
}

/** The plugin, wrapped so its hooks apply to the whole app; named as @fastify/session for plugins that depend on it. */
export const fastifySession: FastifyPluginCallback<FastifySessionOptions> = fp(plugin, {
  name: '@fastify/session',
  fastify: '5.x',
})
