import { describe, expect, it } from 'vitest'
import type { LoadInput, SessionManagerOptions } from '../src/index.js'
import { createSessionManager, explainEvents } from '../src/index.js'
import { cookieOf, fakeClock, recordingStore, SECRET } from './helpers.js'

function setup(options: Partial<SessionManagerOptions> = {}) {
  const lines: string[] = []
  const clock = fakeClock()
  const store = recordingStore()
  const manager = createSessionManager({
    secret: SECRET,
    store,
    clock,
    onEvent: explainEvents((l) => lines.push(l)),
    ...options,
  })
  /** One request that writes to the session; returns the cookie to send next and the ids seen. */
  const request = async (input: LoadInput) => {
    const handle = await manager.load(input)
    handle.session.set('views', 1)
    const { setCookie } = await handle.commit()
    return { next: setCookie[0] ? cookieOf(setCookie[0]) : undefined, id: handle.session.id }
  }
  return { lines, clock, manager, request }
}

function expectOneLine(lines: string[], pattern: RegExp, secrets: string[]): void {
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^\[sess\] /)
  expect(lines[0]).toMatch(pattern)
  for (const s of secrets) expect(lines[0]).not.toContain(s)
}

describe('diagnostics: explainEvents says in one line why a session does not stick', () => {
  it('secure over plain HTTP', async () => {
    const { lines, request } = setup({ cookie: { secure: true } })
    const { id } = await request({ secure: false })
    expectOneLine(lines, /Secure but the request came over plain HTTP: browsers drop it/, [id, SECRET])
    lines.length = 0
    await request({ secure: true })
    expect(lines).toEqual([])
  })
  it('a proxy that is not trusted', async () => {
    const { lines, request } = setup()
    const { id } = await request({ secure: false, untrustedHttps: true })
    expectOneLine(lines, /X-Forwarded-Proto says HTTPS but the proxy is not trusted.*Trust your proxy/, [id, SECRET])
  })
  it('a cookie over 4 KB', async () => {
    const { lines, manager } = setup()
    await manager.load({ cookie: `sid=${'a'.repeat(5000)}` })
    expectOneLine(lines, /over 4096 characters was ignored/, [SECRET])
  })
  it('a path that does not match', async () => {
    const { lines, request } = setup({ cookie: { path: '/app' } })
    await request({ secure: true, path: '/app/settings' })
    await request({ secure: true, path: '/app' })
    expect(lines).toEqual([])
    const { id } = await request({ secure: true, path: '/application' })
    expectOneLine(lines, /Path does not cover this request's path/, [id, SECRET])
  })
  it('SameSite=None without Secure (plain HTTP)', async () => {
    const { lines, request } = setup({ cookie: { sameSite: 'none' } })
    const { id } = await request({ secure: false })
    expectOneLine(lines, /SameSite=None, which needs Secure/, [id, SECRET])
  })
  it('a signature from an unknown secret', async () => {
    const other = setup({ secret: 'another-secret-another-secret-another-1' })
    const { next, id } = await other.request({ secure: true })
    const { lines, manager } = setup()
    await manager.load({ cookie: next })
    expectOneLine(lines, /not signed by any configured secret/, [id, SECRET, 'another-secret'])
  })
  it('an expired record', async () => {
    const { lines, clock, manager, request } = setup({ idleTimeout: 60 })
    const { next, id } = await request({ secure: true })
    clock.advance(61_000)
    await manager.load({ cookie: next })
    expectOneLine(lines, /the session expired \(idle or absolute timeout\)/, [id, SECRET])
  })
  it('without an observer the commit is unchanged (nothing is diagnosed)', async () => {
    const manager = createSessionManager<{ views: number }>({
      secret: SECRET,
      store: recordingStore(),
      cookie: { secure: true },
    })
    const handle = await manager.load({ secure: false })
    handle.session.set('views', 1)
    expect((await handle.commit()).setCookie).toHaveLength(1)
  })
})
