import fastifyCookie from '@fastify/cookie'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { afterEach } from 'vitest'
import type { FastifySessionOptions } from '../src/index.js'
import { fastifySession } from '../src/index.js'

declare module '@sess/core' {
  interface SessionData {
    [key: string]: unknown
  }
}

export const SECRET = 'fastify-test-secret-0123456789abcdef'

export interface Answer {
  status: number
  body: any
  /** The session cookie's Set-Cookie lines. */
  setCookie: string[]
  /** Every Set-Cookie line. */
  all: string[]
  /** `name=value` of the session cookie sent, for the next request's Cookie header. */
  cookie: string | undefined
}

export interface Served {
  app: FastifyInstance
  request(path: string, init?: { method?: string; cookie?: string | undefined; https?: boolean }): Promise<Answer>
}

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

/**
 * A real listening Fastify server (fetch, not inject) with the plugin registered, optionally after @fastify/cookie;
 * `https: true` sends `x-forwarded-proto: https` to the trusted proxy setting.
 */
export async function serve(
  options: Partial<FastifySessionOptions>,
  routes: (app: FastifyInstance) => void,
  setup: { cookiePlugin?: boolean; fastify?: FastifyServerOptions; cookieName?: string } = {},
): Promise<Served> {
  const app = Fastify({ trustProxy: true, ...setup.fastify })
  apps.push(app)
  if (setup.cookiePlugin) await app.register(fastifyCookie)
  await app.register(fastifySession, { secret: SECRET, ...options })
  routes(app)
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  const name = `${setup.cookieName ?? options.cookieName ?? 'sessionId'}=`
  return {
    app,
    async request(path, init = {}) {
      const headers: Record<string, string> = {}
      if (init.cookie) headers.cookie = init.cookie
      if (init.https) headers['x-forwarded-proto'] = 'https'
      const response = await fetch(origin + path, { method: init.method ?? 'GET', headers })
      const all = response.headers.getSetCookie()
      const setCookie = all.filter((line) => line.startsWith(name))
      const text = await response.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {}
      const sent = setCookie[0]?.split(';')[0]
      return { status: response.status, body, setCookie, all, cookie: sent === name ? undefined : sent }
    },
  }
}

/** Runs `body` against a server with and without @fastify/cookie registered first. */
export const eachCookieSetup: [string, boolean][] = [
  ['without @fastify/cookie', false],
  ['after @fastify/cookie', true],
]
