// An @fastify/session app: a views counter, login (a new session id) and logout (the session destroyed).
// Moving it to sess changed one line, the plugin's import (src/app.test.ts checks that, running both).
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@sess/fastify'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface Session {
    views: number
    user: string
  }
}

export interface AppOptions {
  /** At least 32 characters (or an array: the first signs, all verify). */
  secret: string | string[]
}

/** Builds the example app, plugins registered. Never listens (see server.ts). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(fastifyCookie)
  // secure 'auto': Secure on HTTPS, and the cookie still works on a plain-HTTP dev server.
  await app.register(fastifySession, { secret: options.secret, cookie: { secure: 'auto' }, saveUninitialized: false })

  app.get('/', async (request) => {
    request.session.views = (request.session.views ?? 0) + 1
    return { views: request.session.views }
  })

  app.get('/me', async (request) => ({ user: request.session.user ?? null, views: request.session.views ?? 0 }))

  app.post<{ Querystring: { user?: string } }>('/login', async (request, reply) => {
    const user = request.query.user
    if (!user) return reply.code(400).send({ error: 'user is required' })
    // A new session id on every privilege change defeats session fixation; the views counter comes along.
    await request.session.regenerate(['views'])
    request.session.user = user
    return { user }
  })

  app.post('/logout', async (request) => {
    await request.session.destroy()
    return { user: null }
  })

  return app
}
