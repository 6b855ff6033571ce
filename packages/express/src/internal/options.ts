import { SessionConfigError } from '@sess/core'
import type { SessionOptions } from './session-options.js'

/** A secret as express-session takes it: a string or a Buffer, or an array of them (the first signs). */
export type SecretInput = string | Uint8Array | ReadonlyArray<string | Uint8Array>

const KNOWN = [
  'secret',
  'name',
  'key',
  'store',
  'cookie',
  'genid',
  'proxy',
  'resave',
  'rolling',
  'saveUninitialized',
  'unset',
  'idleTimeout',
  'absoluteTimeout',
  'touchAfter',
  'storeTimeout',
  'failOpen',
  'strict',
  'schema',
  'onInvalidData',
  'onEvent',
  'clock',
  'device',
]
const BOOLEANS = ['proxy', 'resave', 'rolling', 'saveUninitialized', 'failOpen', 'strict']
const warned = new Set<string>()

/** Emits a process warning once per process (`node --no-warnings` silences it; tests can listen for it). */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return
  warned.add(key)
  process.emitWarning(message, { code: 'SESS_EXPRESS' })
}

function invalid(message: string): SessionConfigError {
  return new SessionConfigError('OPTION_INVALID', `[sess] [express] ${message}`)
}

/** Checks the options express-session would take silently and get wrong: wrong types, typos. */
export function checkOptions(given: SessionOptions | undefined): SessionOptions {
  if (given !== undefined && (typeof given !== 'object' || given === null)) {
    throw invalid('Pass session() an options object with a secret.')
  }
  const options = (given ?? {}) as Record<string, unknown>
  if (options.unset !== undefined && options.unset !== 'keep' && options.unset !== 'destroy') {
    throw invalid("unset must be 'destroy' or 'keep'.")
  }
  for (const key of Object.keys(options)) {
    if (KNOWN.includes(key)) continue
    const near = KNOWN.find((known) => distance(known.toLowerCase(), key.toLowerCase()) <= 2)
    const hint = near === undefined ? '' : ` (did you mean "${near}"?)`
    warnOnce(`option:${key}`, `[sess] [express] Unknown option "${key}"${hint} is ignored.`)
  }
  for (const key of BOOLEANS) {
    const value = options[key]
    if (value !== undefined && typeof value !== 'boolean') {
      throw invalid(`Option ${key} must be true or false; got ${JSON.stringify(value)} (a ${typeof value}).`)
    }
  }
  if (options.genid !== undefined && typeof options.genid !== 'function') {
    throw invalid('Option genid must be a function of the request returning a new session id.')
  }
  const cookie = options.cookie as Record<string, unknown> | undefined
  if (cookie !== undefined && cookie !== null && typeof cookie === 'object') {
    const maxAge = cookie.maxAge
    if (maxAge !== undefined && maxAge !== null && (typeof maxAge !== 'number' || Number.isNaN(maxAge))) {
      throw invalid(`cookie.maxAge must be a number of milliseconds, or null; got ${String(maxAge)}.`)
    }
    const expires = cookie.expires
    if (expires != null && !(expires instanceof Date && Number.isFinite(expires.getTime()))) {
      throw invalid('cookie.expires must be a valid Date, or null; prefer cookie.maxAge (milliseconds).')
    }
  }
  return options as SessionOptions
}

/** The secrets as strings, or undefined when none was given (then `req.secret` from cookie-parser is used). */
export function secretsOf(secret: unknown): string[] | undefined {
  if (secret === undefined || secret === null || secret === '') {
    warnOnce('secret', "[sess] [express] session() has no secret: each request needs cookie-parser's req.secret.")
    return undefined
  }
  const list = Array.isArray(secret) ? (secret as unknown[]) : [secret]
  if (list.length === 0) {
    throw new SessionConfigError(
      'SECRET_MISSING',
      '[sess] [express] The secret option array must hold at least one secret (the first signs, all verify).',
    )
  }
  const secrets = list.map((s) => {
    if (typeof s === 'string' && s !== '') return s
    if (s instanceof Uint8Array && s.length > 0) return fromBytes(s)
    throw new SessionConfigError(
      'SECRET_MISSING',
      '[sess] [express] Every secret must be a non-empty string or Buffer; generate one with `openssl rand -base64 32`.',
    )
  })
  if (process.env.NODE_ENV === 'production' && secrets.some((s) => s.length < 32)) {
    warnOnce('weak', '[sess] [express] The session secret is short: use 32+ random characters in production.')
  }
  return secrets
}

// A Buffer that is UTF-8 text signs as express-session does; other bytes map one-to-one onto a string (latin1),
// which keeps every bit of the secret.
function fromBytes(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  const same = new TextEncoder().encode(text)
  if (same.length === bytes.length && same.every((b, i) => b === bytes[i])) return text
  let out = ''
  for (const b of bytes) out += String.fromCharCode(b)
  return out
}

/** The error of a request that has no secret: neither the option nor cookie-parser's `req.secret`. */
export function secretMissing(): SessionConfigError {
  return new SessionConfigError(
    'SECRET_MISSING',
    '[sess] [express] The secret option is required for sessions: pass session({ secret }) (a long random string, or an array to rotate), or run cookie-parser with a secret before session().',
  )
}

// Levenshtein distance, for "did you mean" on option typos.
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    row = next
  }
  return row[b.length] as number
}
