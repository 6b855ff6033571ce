import { describe, expect, it } from 'vitest'
import { recordingStore, SECRET } from '../test/helpers.js'
import type { SessionManagerOptions } from './options.js'
import { resolveOptions } from './options.js'

const store = recordingStore()
const make = (o: Partial<SessionManagerOptions>) => () =>
  resolveOptions({ secret: SECRET, store, ...o } as SessionManagerOptions)

describe('resolveOptions', () => {
  it('applies secure defaults', () => {
    const o = make({})()
    expect(o.cookieName).toBe('sid')
    expect(o.cookie).toMatchObject({ path: '/', httpOnly: true, secure: 'auto', sameSite: 'lax', persistent: true })
    expect(o.idleTimeout).toBe(86400)
    expect(o.absoluteTimeout).toBeNull()
    expect(o.touchAfter).toBe(8640)
    expect(o.cookiePrefix).toBe('s:')
    expect(o.saveUninitialized).toBe(false)
    expect(o.storeTimeout).toBe(5)
  })
  const errors: Array<[string, Partial<SessionManagerOptions>, string]> = [
    ['no secret', { secret: undefined as never }, 'SECRET_MISSING'],
    ['an empty secret list', { secret: [] }, 'SECRET_MISSING'],
    ['an empty string in the list', { secret: [SECRET, ''] }, 'SECRET_MISSING'],
    ['a short secret', { secret: 'keyboard cat' }, 'SECRET_TOO_SHORT'],
    ['a short old secret', { secret: [SECRET, 'short'] }, 'SECRET_TOO_SHORT'],
    ['no store', { store: undefined as never }, 'OPTION_INVALID'],
    ['a store without destroy', { store: { get: store.get, set: store.set } as never }, 'OPTION_INVALID'],
    ['a cookie name with a space', { cookie: { name: 'my sid' } }, 'OPTION_INVALID'],
    ['a relative path', { cookie: { path: 'app' } }, 'OPTION_INVALID'],
    ['SameSite=None without Secure', { cookie: { sameSite: 'none', secure: false } }, 'OPTION_INVALID'],
    ['Partitioned without Secure', { cookie: { partitioned: true, secure: false } }, 'OPTION_INVALID'],
    ['__Secure- without Secure', { cookie: { name: '__Secure-sid', secure: false } }, 'OPTION_INVALID'],
    ['__Host- with a domain', { cookie: { name: '__Host-sid', domain: 'example.com' } }, 'OPTION_INVALID'],
    ['__Host- with a path', { cookie: { name: '__Host-sid', path: '/app' } }, 'OPTION_INVALID'],
    ['a negative idle timeout', { idleTimeout: -1 }, 'OPTION_INVALID'],
    ['a NaN absolute timeout', { absoluteTimeout: Number.NaN }, 'OPTION_INVALID'],
    ['strict without patch', { strict: true, store: recordingStore({ patch: false }) }, 'OPTION_INVALID'],
    ['a schema that is not a Standard Schema', { schema: {} as never }, 'OPTION_INVALID'],
  ]
  for (const [what, options, code] of errors) {
    it(`rejects ${what} with ${code}`, () => {
      expect(make(options)).toThrow(expect.objectContaining({ code, name: 'SessionConfigError' }))
    })
  }
  it('says what to do, prefixed with [sess]', () => {
    expect(make({ secret: 'short' })).toThrow(/^\[sess\] Every secret must be at least 32 characters/)
  })
  it('lets compatibility layers lower the secret length', () => {
    expect(make({ secret: 'keyboard cat', minSecretLength: 1 })().secrets).toEqual(['keyboard cat'])
  })
  it('accepts valid __Host- and SameSite=None configurations', () => {
    expect(make({ cookie: { name: '__Host-sid' } })().cookieName).toBe('__Host-sid')
    expect(make({ cookie: { sameSite: 'none' } })().cookie.sameSite).toBe('none')
  })
  it('defaults touchAfter to 0 when rolling', () => {
    expect(make({ rolling: true })().touchAfter).toBe(0)
  })
})
