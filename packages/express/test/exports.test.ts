import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "Cookie",
      "MemoryStore",
      "Session",
      "SessionConfigError",
      "SessionError",
      "SessionStateError",
      "SessionStoreError",
      "Store",
      "default",
      "isSessionError",
      "isStoreError",
      "session",
    ]
  `)
})
