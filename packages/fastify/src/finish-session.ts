import type { FastifyReply } from 'fastify'
import { clearCookieHeader } from './session-cookie.js'
import type { SessionState } from './session-state.js'

/** The response's cookie, decided as @fastify/session decides it; store writes are core's. */
export function finish(state: SessionState, reply: FastifyReply): Promise<void> | undefined {
  const { ctx, core } = state
  state.flush()
  // The cookie view is built only when the app asked for it or a cookie goes out.
  const options = state.cookieOptions
  const secure = state.view?.secure ?? (options.secure === 'auto' ? state.https : options.secure)
  const value = state.signedValue()
  const changed = state.requestValue !== value
  const modified = core.isModified()
  const wanted =
    state.destroyed && !modified ? false : changed ? ctx.saveUninitialized || modified : ctx.rolling || modified
  const send = (): void => {
    if ((wanted || state.saved) && (state.https || !secure)) {
      reply.header('set-cookie', state.cookie().header(ctx.cookieName, ctx.prefix + value))
    } else if (state.requestValue !== undefined && changed) {
      reply.header('set-cookie', clearCookieHeader(ctx.cookieName, options))
    }
  }
  // A cookie that cannot be sent (Secure over plain HTTP) would name a record nobody can reach: nothing is stored.
  const done = secure && !state.https ? undefined : state.handle.finish()
  if (done instanceof Promise) return done.then(send)
  send()
  return undefined
}
