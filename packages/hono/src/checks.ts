import { assertKnownOptions, SESSION_OPTION_NAMES, SessionConfigError } from '@sess/core'
import type { Context } from 'hono'
import type { HonoSessionOptions } from './options.js'

/** Setup checks of the Hono middleware: an options object, known option names. */
export function checkOptions(options: HonoSessionOptions<object> | undefined): void {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('OPTION_INVALID', '[sess] [hono] session() needs options: session({ secret, store }).')
  }
  assertKnownOptions(options, [...SESSION_OPTION_NAMES, 'trustProxy', 'clientIp'], { where: 'session()' })
}

/** The secret(s) a `secret: (c) => ...` function returns, checked here so its name is in the error. */
export function secretOf(secret: (c: Context) => string | readonly string[], c: Context): string | readonly string[] {
  const value = secret(c)
  if (!value?.length) {
    throw new SessionConfigError(
      'SECRET_MISSING',
      `[sess] [hono] secret: (c) => ... returned ${JSON.stringify(value)}: set the binding it reads.`,
    )
  }
  return value
}
