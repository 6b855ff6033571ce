import { assertKnownOptions, SESSION_OPTION_NAMES, SessionConfigError } from '@sess/core'
import type { Context } from 'hono'
import type { HonoSessionOptions } from './options.js'
import { HONO_OPTION_NAMES } from './options.js'

const KNOWN: readonly string[] = [...SESSION_OPTION_NAMES, ...HONO_OPTION_NAMES]

/** Setup checks of the Hono middleware: an options object, known option names. */
export function checkOptions(options: HonoSessionOptions<object> | undefined): void {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      'OPTION_INVALID',
      '[sess] [hono] session() needs options: session({ secret, store }), e.g. store: memoryStore() from @sess/store-memory.',
    )
  }
  assertKnownOptions(options, KNOWN, { where: '@sess/hono session()' })
  for (const name of ['trustProxy'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') {
      throw new SessionConfigError('OPTION_INVALID', `[sess] [hono] Option ${name} must be a boolean.`)
    }
  }
  if (options.clientIp !== undefined && typeof options.clientIp !== 'function') {
    throw new SessionConfigError('OPTION_INVALID', '[sess] [hono] Option clientIp must be a function of the context.')
  }
}

/** The secret(s) a `secret: (c) => ...` function returns, checked here so its name is in the error. */
export function secretOf(secret: (c: Context) => string | readonly string[], c: Context): string | readonly string[] {
  const value: unknown = secret(c)
  const ok = typeof value === 'string' ? value !== '' : Array.isArray(value) && value.length > 0
  if (!ok) {
    throw new SessionConfigError(
      'SECRET_MISSING',
      `[sess] [hono] The secret function (secret: (c) => ...) returned ${value === '' ? 'an empty string' : Array.isArray(value) ? 'an empty array' : String(value)}; return a string of at least 32 characters, e.g. a binding such as c.env.SESSION_SECRET that is set for this environment (wrangler secret put SESSION_SECRET, or .dev.vars locally).`,
    )
  }
  return value as string | readonly string[]
}
