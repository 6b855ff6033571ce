import { describeAdapterConformance } from '@sess/testing'
import Fastify from 'fastify'
import { fastifySession } from '../src/index.js'

declare module '@sess/core' {
  interface SessionData {
    [key: string]: unknown
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// A real listening Fastify server (not inject), as the suite requires.
describeAdapterConformance('fastify', async ({ store, secret, storeTimeout }) => {
  const app = Fastify()
  // sess's semantics, which the suite checks: @fastify/session's defaults (a record and a cookie for every visitor,
  // a Set-Cookie on every response, no cookie at all over plain HTTP) are covered by fastify.compat.test.ts.
  await app.register(fastifySession, {
    secret,
    store,
    storeTimeout,
    saveUninitialized: false,
    rolling: false,
    cookie: { secure: 'auto', sameSite: 'lax' },
  })
  app.get<{ Querystring: { key: string } }>('/get', async (request) => ({
    id: request.session.sessionId,
    value: request.session.get(request.query.key) ?? null,
  }))
  app.post<{ Querystring: { key: string; value: string; delay?: string } }>('/set', async (request) => {
    const delay = Number(request.query.delay ?? 0)
    if (delay > 0) await sleep(delay)
    request.session.set(request.query.key, request.query.value)
    return { id: request.session.sessionId }
  })
  app.post('/regenerate', async (request) => {
    await request.session.regenerate()
    return { id: request.session.sessionId }
  })
  app.post('/destroy', async (request) => {
    await request.session.destroy()
    return {}
  })
  app.get('/untouched', async () => 'ok')
  app.get('/with-own-cookie', async (request, reply) => {
    reply.header('set-cookie', 'app=1; Path=/')
    request.session.set('own', 'yes')
    return 'ok'
  })
  app.setErrorHandler((error: { code?: string }, _request, reply) => {
    reply.status(500).send({ code: error.code ?? 'UNKNOWN' })
  })
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  return { request: (path, init) => fetch(origin + path, init), cookieName: 'sessionId', close: () => app.close() }
})
