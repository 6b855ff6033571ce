import { expect, it } from 'vitest'
import * as api from '../src/index.js'

it('exports exactly the public API', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "MemoryStore",
      "SessionConfigError",
      "SessionError",
      "SessionStateError",
      "SessionStoreError",
      "Store",
      "default",
      "fastifySession",
      "isSessionError",
      "sessionPlugin",
    ]
  `)
})
