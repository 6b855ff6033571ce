import type { Request } from 'express'
import type { Session as CoreSession, SessionHandle } from '@sess/core'
import { describe, expectTypeOf, it } from 'vitest'
import type { Cookie, SessionOptions } from '../src/index.js'
import session from '../src/index.js'

// Applications type their sessions by augmenting either package's SessionData (as with @types/express-session).
declare module '../src/index.js' {
  interface SessionData {
    views: number
  }
}
declare module '@sess/core' {
  interface SessionData {
    user: { id: string; name: string }
  }
}

declare const req: Request

describe('req.session', () => {
  it('is typed through SessionData augmentation of @sess/express and @sess/core', () => {
    expectTypeOf(req.session.views).toEqualTypeOf<number | undefined>()
    expectTypeOf(req.session.user).toEqualTypeOf<{ id: string; name: string } | undefined>()
    expectTypeOf(req.session.id).toEqualTypeOf<string>()
    expectTypeOf(req.sessionID).toEqualTypeOf<string>()
    expectTypeOf(req.session.cookie).toEqualTypeOf<Cookie>()
    expectTypeOf(req.session.cookie.maxAge).toEqualTypeOf<number | null>()
    // @ts-expect-error wrong value type
    req.session.views = 'many'
  })

  it('has callback and Promise forms of each method', () => {
    expectTypeOf(req.session.save()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(req.session.save(() => {})).toEqualTypeOf(req.session)
    expectTypeOf(req.session.regenerate({ keepData: true })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(req.session.regenerate((err) => err)).toEqualTypeOf(req.session)
    expectTypeOf(req.session.destroy()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(req.session.reload()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(req.session.touch()).toEqualTypeOf(req.session)
  })
})

describe('session()', () => {
  it("takes express-session's options", () => {
    const options: SessionOptions = {
      secret: ['new', 'old'],
      name: 'sid',
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      proxy: true,
      genid: (r) => String(r.headers['x-id']),
      cookie: (r) => ({ secure: r.secure, maxAge: 60_000, sameSite: 'auto' }),
    }
    expectTypeOf(session(options)).toBeFunction()
    // @ts-expect-error unset takes 'destroy' or 'keep'
    session({ secret: 'x', unset: 'drop' })
  })

  it('lets stores extend session.Store', () => {
    class MyStore extends session.Store {
      get(_sid: string, cb: (err: unknown, value?: null) => void): void {
        cb(null, null)
      }
    }
    expectTypeOf(new MyStore().on).toBeFunction()
  })
})

describe('@sess/core as published (its .d.ts, with stripInternal)', () => {
  it("keeps the core session's internals off its public type", () => {
    expectTypeOf<CoreSession>().not.toHaveProperty('pendingWrite')
    expectTypeOf<CoreSession>().not.toHaveProperty('commitIfIdle')
    expectTypeOf<CoreSession>().not.toHaveProperty('adoptSignedValue')
    expectTypeOf<CoreSession>().toHaveProperty('regenerate')
    expectTypeOf<CoreSession>().toHaveProperty('committed')
    expectTypeOf<SessionHandle>().toHaveProperty('commitSync')
  })
})
