import type { StandardSchemaV1 } from '@sess/core'
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import type { Session } from '../src/index.js'
import { session } from '../src/index.js'
import type { SessionEnv } from '../src/index.js'

declare const schema: StandardSchemaV1<unknown, { views: number; name?: string }>
const secret = 'a-test-secret-that-is-at-least-32-characters'

describe('Hono typing', () => {
  it('a schema alone types c.get("session") on a plain new Hono()', () => {
    const app = new Hono().use(session({ secret, schema }))
    app.get('/', (c) => {
      expectTypeOf(c.get('session')).toEqualTypeOf<Session<{ views: number; name?: string }>>()
      expectTypeOf(c.get('session').get('views')).toEqualTypeOf<number | undefined>()
      return c.text('ok')
    })
    new Hono().get('/inline', session({ secret, schema }), (c) => {
      expectTypeOf(c.get('session').get('views')).toEqualTypeOf<number | undefined>()
      return c.text('ok')
    })
  })

  // Hono intersects the Env of `use()` with the app's own without comparing them, so an app declared by hand with
  // a disagreeing Env is caught where the Env meets the middleware: its type argument or a typed binding.
  it('an Env that agrees with the schema compiles; one that disagrees does not', () => {
    new Hono<SessionEnv<{ views: number; name?: string }>>().use(session({ secret, schema }))
    const agrees: MiddlewareHandler<SessionEnv<{ views: number; name?: string }>> = session({ secret, schema })
    // @ts-expect-error: the Env says views is a string, the schema a number
    const disagrees: MiddlewareHandler<SessionEnv<{ views: string }>> = session({ secret, schema })
    expectTypeOf(agrees).not.toBeAny()
    expectTypeOf(disagrees).not.toBeAny()
    // @ts-expect-error: the same through the middleware's own type argument
    session<{ views: string }>({ secret, schema })
  })
})
