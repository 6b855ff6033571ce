import { memoryStore } from '@sess/store-memory'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HonoSessionOptions } from '../src/index.js'
import { explainEvents, session } from '../src/index.js'

const SECRET = 'hono-test-secret-0123456789abcdef-xyz'

function app(options: Partial<HonoSessionOptions<{ n: number }>>) {
  return new Hono()
    .use(session<{ n: number }>({ secret: SECRET, store: memoryStore(), ...options }))
    .all('*', (c) => (c.get('session').set('n', 1), c.text(c.get('session').id)))
}

afterEach(() => vi.restoreAllMocks())

describe('Hono diagnostics', () => {
  it('an untrusted proxy: the adapter passes the X-Forwarded-Proto hint', async () => {
    const lines: string[] = []
    const res = await app({ onEvent: explainEvents((l) => lines.push(l)) }).request('http://example.com/', {
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(lines).toEqual([expect.stringMatching(/X-Forwarded-Proto says HTTPS but the proxy is not trusted/)])
    expect(lines[0]).not.toContain(await res.text())
    lines.length = 0
    await app({ trustProxy: true, onEvent: explainEvents((l) => lines.push(l)) }).request('http://example.com/', {
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(lines).toEqual([])
  })
  it('a cookie Path that does not cover the request path: the adapter passes the path', async () => {
    const lines: string[] = []
    const a = app({ cookie: { path: '/app' }, onEvent: explainEvents((l) => lines.push(l)) })
    await a.request('https://example.com/app/x')
    expect(lines).toEqual([])
    await a.request('https://example.com/other')
    expect(lines).toEqual([expect.stringMatching(/Path does not cover/)])
  })
  it('onEvent: explainEvents(console.warn) explains on the console, never with the id or the secret', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const onEvent = explainEvents(console.warn)
    const res = await app({ onEvent, cookie: { secure: true } }).request('http://example.com/')
    const id = await res.text()
    expect(warn).toHaveBeenCalledTimes(1)
    const line = String(warn.mock.calls[0]?.[0])
    expect(line).toMatch(/^\[sess\] the session cookie is Secure but the request came over plain HTTP/)
    expect(line).not.toContain(id)
    expect(line).not.toContain(SECRET)
  })
})
