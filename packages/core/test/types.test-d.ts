import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { Session, Store } from '../src/index.js'
import { createSessionManager } from '../src/index.js'

declare const store: Store

describe('types', () => {
  it('types data through a generic', async () => {
    const m = createSessionManager<{ views: number; user?: { id: string } }>({ secret: 'x'.repeat(32), store })
    const { session } = await m.load({})
    expectTypeOf(session.get('views')).toEqualTypeOf<number | undefined>()
    expectTypeOf(session.data.user).toEqualTypeOf<{ id: string } | undefined>()
    // @ts-expect-error unknown key
    session.get('nope')
    // @ts-expect-error wrong value type
    session.set('views', 'many')
  })
  it('infers data from a Standard Schema', async () => {
    const m = createSessionManager({ secret: 'x'.repeat(32), store, schema: z.object({ n: z.number() }) })
    const { session } = await m.load({})
    expectTypeOf(session).toEqualTypeOf<Session<{ n: number }>>()
  })
})
