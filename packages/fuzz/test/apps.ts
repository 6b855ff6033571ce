import { getRequestListener } from '@hono/node-server'
import type { Store } from '@sess/core'
import session from '@sess/express'
import { sessionPlugin } from '@sess/fastify'
import type { SessionEnv } from '@sess/hono'
import { session as honoSession } from '@sess/hono'
import { listenOnLoopback } from '@sess/testing'
import express from 'express'
import type { ErrorRequestHandler } from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'

export const SECRET = 'fuzz-secret-0123456789abcdef-0123456789'

/**
 * One adapter's app on a real loopback server. Routes: `GET /whoami` answers `{ owner }` (the session's `owner`
 * key, or null) without writing; `POST /claim?owner=x` sets `owner`; `POST /key?name=n` sets `k<n>` to 1. Errors
 * answer `500 { code }`.
 */
export interface App {
  readonly adapter: string
  readonly cookieName: string
  request(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

type Data = { owner?: string }
/** Builds an app on a `@sess/*` store, or (Express, Fastify) on a callback store written for the peers. */
type MakeApp = (store: Store | object) => Promise<App>

const express_: MakeApp = async (store) => {
  const app = express()
  app.use(session({ secret: SECRET, store: store as never, resave: false, saveUninitialized: true }))
  app.get('/whoami', (req, res) => {
    res.json({ owner: (req.session as unknown as Data).owner ?? null })
  })
  app.post('/claim', (req, res) => {
    ;(req.session as unknown as Data).owner = String(req.query.owner)
    res.json({})
  })
  app.post('/key', (req, res) => {
    ;(req.session as unknown as Record<string, number>)[`k${req.query.name}`] = 1
    res.json({})
  })
  const onError: ErrorRequestHandler = (err, _req, res, _next) => res.status(500).json({ code: err.code })
  app.use(onError)
  return { adapter: 'express', cookieName: 'connect.sid', ...(await listenOnLoopback(app)) }
}

const fastify_: MakeApp = async (store) => {
  const app = Fastify()
  // Over plain HTTP: 'auto' rather than @fastify/session's default `secure: true` (no cookie at all without HTTPS).
  await app.register(sessionPlugin, {
    secret: SECRET,
    store: store as never,
    saveUninitialized: true,
    rolling: false,
    cookie: { secure: 'auto', sameSite: 'lax' },
  })
  app.get('/whoami', async (request) => ({
    owner: (request.session.get('owner' as never) as unknown as string | undefined) ?? null,
  }))
  app.post('/claim', async (request) => {
    request.session.set('owner' as never, (request.query as { owner: string }).owner as never)
    return {}
  })
  app.post('/key', async (request) => {
    request.session.set(`k${(request.query as { name: string }).name}` as never, 1 as never)
    return {}
  })
  app.setErrorHandler((error, _request, reply) => reply.status(500).send({ code: (error as { code?: string }).code }))
  const origin = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    adapter: 'fastify',
    cookieName: 'sessionId',
    request: (path, init) => fetch(origin + path, init),
    close: () => app.close(),
  }
}

const hono_: MakeApp = async (store) => {
  const app = new Hono<SessionEnv<Data>>()
  app.use(honoSession<Data>({ secret: SECRET, store: store as Store, saveUninitialized: true }))
  app.get('/whoami', (c) => c.json({ owner: c.get('session').get('owner') ?? null }))
  app.post('/claim', (c) => {
    c.get('session').set('owner', c.req.query('owner') ?? '')
    return c.json({})
  })
  app.post('/key', (c) => {
    ;(c.get('session') as unknown as { set(k: string, v: number): void }).set(`k${c.req.query('name')}`, 1)
    return c.json({})
  })
  app.onError((error, c) => c.json({ code: (error as { code?: string }).code ?? 'UNKNOWN' }, 500))
  return { adapter: 'hono', cookieName: 'sid', ...(await listenOnLoopback(getRequestListener(app.fetch))) }
}

/** The three adapters, each built on the given store. */
export const APPS: ReadonlyArray<readonly [string, MakeApp]> = [
  ['express', express_],
  ['fastify', fastify_],
  ['hono', hono_],
]
