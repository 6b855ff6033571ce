import type { Store } from '@sess/core'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import type { FastifySessionOptions } from '../src/index.js'
import { fastifySession } from '../src/index.js'
import { SECRET } from './serve.js'

/** A device: a cookie jar against one server. */
export interface Device {
  call(path: string, init?: { method?: string; headers?: Record<string, string> }): Promise<Response>
  json<T>(path: string, init?: { method?: string; headers?: Record<string, string> }): Promise<T>
}

/** A real listening Fastify server (trustProxy on) with "your devices" routes; errors answer with their code. */
export async function devicesApp(
  options: Partial<FastifySessionOptions>,
  store: Store,
): Promise<{ app: FastifyInstance; device(): Device }> {
  const app = Fastify({ trustProxy: true })
  await app.register(fastifySession, { secret: SECRET, saveUninitialized: false, store, ...options })
  app.post('/login', async (request) => {
    await request.session.regenerate()
    request.session.setUser('ada')
    return 'ok'
  })
  app.get('/devices', (request) => request.session.listUserSessions())
  app.post<{ Params: { id: string } }>('/revoke/:id', async (request) => ({
    revoked: await request.session.destroyUserSession(request.params.id),
  }))
  app.post('/others', async (request) => ({
    ended: await request.session.destroyUserSessions({ exceptCurrent: true }),
  }))
  app.get('/who', async (request) => ({ user: request.session.core.userId ?? null }))
  app.setErrorHandler((error: { code?: string; message: string }, _request, reply) => {
    reply.status(500).send({ code: error.code ?? null, message: error.message })
  })
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  const device = (): Device => {
    let cookie: string | undefined
    const call: Device['call'] = async (path, init = {}) => {
      const headers: Record<string, string> = { 'x-forwarded-proto': 'https', ...init.headers }
      if (cookie) headers.cookie = cookie
      const response = await fetch(origin + path, { method: init.method ?? 'GET', headers })
      for (const line of response.headers.getSetCookie()) {
        if (!line.startsWith('sessionId=')) continue
        cookie = /Expires=Thu, 01 Jan 1970/.test(line) ? undefined : (line.split(';')[0] as string)
      }
      return response
    }
    return {
      call,
      json: async <T>(path: string, init?: Parameters<Device['call']>[1]): Promise<T> =>
        (await call(path, init)).json() as Promise<T>,
    }
  }
  return { app, device }
}
