// Fastify 5 with @sess/fastify: a views counter, login (a new session id) and logout (the session destroyed).
import type { Store } from '@sess/fastify'
import { sessionPlugin } from '@sess/fastify'
import { memoryStore } from '@sess/store-memory'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'

declare module '@sess/fastify' {
  interface SessionData {
    views: number
    user: string
  }
}

export interface AppOptions {
  /** At least 32 characters; the first signs, all verify (rotation). */
  secret: string | string[]
  /** Where sessions live. @default memoryStore() */
  store?: Store
}

/** Builds the example app, plugins registered. Never listens (see server.ts). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(sessionPlugin, { secret: options.secret, store: options.store ?? memoryStore() })

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
