import type { RequestListener } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { listenOnLoopback } from './adapter-suite.js'

/** What the session test apps answer: the session's id, whether it is new, its data; or an error's code; or a count. */
export interface SessionAppBody {
  id?: string
  isNew?: boolean
  data?: Record<string, unknown>
  code?: string
  count?: number
}

/** One answer of a {@link JsonApp}. */
export interface JsonReply<Body = SessionAppBody> {
  status: number
  body: Body
  /** The `name=value` of the first cookie the response set, else the one sent. */
  cookie: string | undefined
  /** Milliseconds the request took. */
  ms: number
}

/** A served test app that answers JSON, called as a browser would with the one cookie it holds. */
export interface JsonApp<Body = SessionAppBody> {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string
  /** GETs `path`, sending `cookie` (a `name=value` pair) when there is one. */
  request(path: string, cookie?: string): Promise<JsonReply<Body>>
  close(): Promise<void>
}

/** Serves `listener` on a free loopback port ({@link listenOnLoopback}) as a {@link JsonApp}. */
export async function serveJsonApp<Body = SessionAppBody>(listener: RequestListener): Promise<JsonApp<Body>> {
  const served = await listenOnLoopback(listener)
  return {
    origin: served.origin,
    async request(path, cookie) {
      const started = Date.now()
      const response = await served.request(path, { headers: cookie === undefined ? {} : { cookie } })
      const body = (await response.json()) as Body
      const set = response.headers.getSetCookie()[0]?.split(';')[0]
      return { status: response.status, body, cookie: set ?? cookie, ms: Date.now() - started }
    },
    close: served.close,
  }
}

/**
 * Repeats `request` every 100 ms until it answers 200 or `ms` have passed, and resolves to its last answer: after a
 * fault, a connection that died unnoticed may fail a request or two before the client reconnects.
 */
export async function untilOk<Answer extends { status: number }>(
  request: () => Promise<Answer>,
  ms: number,
): Promise<Answer> {
  const deadline = Date.now() + ms
  for (;;) {
    const answer = await request()
    if (answer.status === 200 || Date.now() > deadline) return answer
    await sleep(100)
  }
}
