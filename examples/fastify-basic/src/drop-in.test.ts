import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'

// The same app on @fastify/session: src/app.ts with its import line changed back, and nothing else.
const source = readFileSync(fileURLToPath(new URL('./app.ts', import.meta.url)), 'utf8')
const peerSource = source.replace(
  "import fastifySession from '@sess/fastify'",
  "import fastifySession from '@fastify/session'",
)
const peerFile = fileURLToPath(new URL('../.peer/app.ts', import.meta.url))
mkdirSync(fileURLToPath(new URL('../.peer/', import.meta.url)), { recursive: true })
writeFileSync(peerFile, peerSource)

const changed = (a: string, b: string) => a.split('\n').filter((line, i) => line !== b.split('\n')[i])
const apps: FastifyInstance[] = []
afterAll(() => Promise.all(apps.map((app) => app.close())))

it('differs from the @fastify/session app in the import line only', () => {
  expect(changed(source, peerSource)).toEqual(["import fastifySession from '@sess/fastify'"])
})

describe.each([
  ['@sess/fastify', () => buildApp({ secret: 'drop-in-test-secret-0123456789abcdef' })],
  [
    '@fastify/session',
    async () => {
      const peer = (await import(/* @vite-ignore */ peerFile)) as { buildApp: typeof buildApp }
      return peer.buildApp({ secret: 'drop-in-test-secret-0123456789abcdef' })
    },
  ],
])('the app on %s', (_, build) => {
  it('counts views, logs in under a new id keeping them, and logs out', async () => {
    const app = await build()
    apps.push(app)
    const origin = await app.listen({ port: 0, host: '127.0.0.1' })
    let cookie = ''
    const call = async (method: string, path: string, sent = cookie) => {
      const response = await fetch(origin + path, { method, headers: sent ? { cookie: sent } : {} })
      const line = response.headers.getSetCookie().find((l) => l.startsWith('sessionId='))
      if (line) cookie = /Max-Age=0|Expires=Thu, 01 Jan 1970/.test(line) ? '' : (line.split(';')[0] as string)
      return (await response.json()) as Record<string, unknown>
    }
    expect(await call('GET', '/me')).toEqual({ user: null, views: 0 })
    expect(cookie).toBe('')
    expect(await call('GET', '/')).toEqual({ views: 1 })
    expect(await call('GET', '/')).toEqual({ views: 2 })
    const before = cookie
    expect(await call('POST', '/login?user=ada')).toEqual({ user: 'ada' })
    expect(cookie).not.toBe(before)
    expect(await call('GET', '/me')).toEqual({ user: 'ada', views: 2 })
    expect(await call('GET', '/me', before)).toEqual({ user: null, views: 0 })
    const loggedIn = cookie
    expect(await call('POST', '/logout')).toEqual({ user: null })
    expect(await call('GET', '/me', loggedIn)).toEqual({ user: null, views: 0 })
  })
})
