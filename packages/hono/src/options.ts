import type { Session, SessionData, SessionManagerOptions } from '@sess/core'
import type { Context } from 'hono'

/** Hono `Env` for {@link session}: `c.get('session')` is the request's session. */
export interface SessionEnv<Data extends object = SessionData> {
  Variables: { session: Session<Data> }
}

/** Hono `Env` for {@link lazySession}: `await c.get('getSession')()` loads the session on first use. */
export interface LazySessionEnv<Data extends object = SessionData> {
  Variables: { getSession: () => Promise<Session<Data>> }
}

/** Options of the Hono middleware: the core options, with a secret that may come from the runtime's bindings. */
export interface HonoSessionOptions<Data extends object = SessionData>
  extends Omit<SessionManagerOptions<Data>, 'secret'> {
  /**
   * Secret(s), or a function of the context returning them, e.g. `(c) => c.env.SESSION_SECRET` on Workers, where
   * bindings exist only per request. Keys are imported once per distinct secret, not per request.
   */
  secret: string | readonly string[] | ((c: Context) => string | readonly string[])
  /**
   * Take `X-Forwarded-Proto` into account when deciding whether the request is HTTPS, and (with `device.ip`) the
   * first `X-Forwarded-For` address as the client IP. @default false
   */
  trustProxy?: boolean | undefined
  /**
   * The client IP for `device.ip` ("your devices") when no trusted proxy gives it, e.g. with `getConnInfo` from
   * `hono/bun`, `hono/deno` or `@hono/node-server/conninfo`: `(c) => getConnInfo(c).remote.address`. @default undefined
   */
  clientIp?: ((c: Context) => string | undefined) | undefined
}
