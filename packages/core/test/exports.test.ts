import { expect, it } from 'vitest'
import * as core from '../src/index.js'

it('exports exactly the public API', () => {
  expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
    [
      "BROWSER_SESSION_MAX_AGE",
      "CookieSigner",
      "DEFAULT_COOKIE_NAME",
      "DEFAULT_IDLE_TIMEOUT_SECONDS",
      "MAX_LIFETIME_SECONDS",
      "MAX_SET_COOKIE_BYTES",
      "MIN_SECRET_LENGTH",
      "SESSION_OPTION_NAMES",
      "SQL_SESSION_COLUMNS",
      "SessionConfigError",
      "SessionError",
      "SessionStateError",
      "SessionStoreError",
      "applyPatch",
      "assertKnownOptions",
      "closestName",
      "computeExpiresAt",
      "constantTimeEqual",
      "createSessionManager",
      "createWriteQueue",
      "decodeSessionRow",
      "encodeMaxAge",
      "explainEvents",
      "generateSessionId",
      "getCookieValues",
      "hashSessionId",
      "invalidRecord",
      "isSessionError",
      "listSessionRows",
      "propertiesView",
      "recordProblem",
      "resolveCommonStoreOptions",
      "resolveOptions",
      "serializeCookie",
      "setOwn",
      "touchedExpiresAt",
      "ttlSeconds",
      "withRereadPatch",
    ]
  `)
})
