import type { ResolvedCookieOptions } from './cookie/cookie-options.js'
import { cookieAttributes } from './cookie/response-cookie.js'
import type { SessionEvent } from './options.js'

/** Why a browser would drop or never send back the cookie a response sets. */
export type CookieProblem = 'secure-over-http' | 'same-site-none-over-http' | 'untrusted-proxy' | 'path-mismatch'

/** What the adapter told `load()` about the request, for diagnostics. */
export interface DiagnosticInput {
  secure: boolean
  /** The request's path, to check the cookie's `Path` covers it. */
  path?: string | undefined
  /** The request said HTTPS through `X-Forwarded-Proto`, but the adapter does not trust its proxy. */
  untrustedHttps?: boolean | undefined
}

/** The problems of setting the session cookie `name` with `cookie` on this request (reported only when observed). */
export function cookieProblems(name: string, cookie: ResolvedCookieOptions, input: DiagnosticInput): CookieProblem[] {
  const problems: CookieProblem[] = []
  if (input.untrustedHttps === true && !input.secure) problems.push('untrusted-proxy')
  else if (!input.secure && cookie.sameSite === 'none') problems.push('same-site-none-over-http')
  else if (!input.secure && cookieAttributes(name, cookie, false).secure) problems.push('secure-over-http')
  const path = cookie.path ?? '/'
  const at = input.path
  if (at !== undefined && !(at === path || at.startsWith(path.endsWith('/') ? path : `${path}/`))) {
    problems.push('path-mismatch')
  }
  return problems
}

const LINES: Record<string, string> = {
  'secure-over-http':
    "the session cookie is Secure but the request came over plain HTTP: browsers drop it (localhost aside). Serve HTTPS, or use cookie.secure: 'auto'.",
  'same-site-none-over-http':
    'the session cookie is SameSite=None, which needs Secure, and browsers refuse Secure cookies over plain HTTP. Serve HTTPS, or use SameSite=Lax.',
  'untrusted-proxy':
    "X-Forwarded-Proto says HTTPS but the proxy is not trusted, so the request counts as HTTP (Secure left off with 'auto', the cookie dropped with secure: true). Trust your proxy (trustProxy, or Express's 'trust proxy').",
  'path-mismatch':
    "the session cookie's Path does not cover this request's path: the browser will not send it back here. Widen cookie.path.",
  'cookie-invalid':
    'a session cookie was not signed by any configured secret (a secret rotated out of the list, another app, or tampering) or is malformed: a fresh session starts. Keep old secrets after the new one while rotating.',
  'cookie-too-large': 'a session cookie over 4096 characters was ignored: a fresh session starts.',
  'session-missing':
    'the cookie is valid but the store has no such session (destroyed, evicted, expired by the store, or another store or prefix): a fresh session starts.',
  'session-expired':
    'the session expired (idle or absolute timeout): a fresh session starts. Raise idleTimeout if this is too soon.',
  'record-invalid': 'the store holds a session record that cannot be read',
  'data-invalid': "the stored session data failed the schema: a fresh session starts (onInvalidData: 'discard').",
  'patch-missing':
    'the session was destroyed or expired by another request while this one ran: its changes were dropped.',
  'store-error': 'the store failed and failOpen gave this request a fresh session.',
}

/**
 * An `onEvent` that explains, in one line each, why a session cookie was not sent or not accepted ("my session does
 * not stick"): `createSessionManager({ ..., onEvent: explainEvents(console.warn) })`. Never includes ids or secrets.
 */
export function explainEvents(log: (line: string) => void): (event: SessionEvent) => void {
  return (event) => {
    const key = event.type === 'cookie-rejected' ? event.reason : event.type
    const reason = event.type === 'record-invalid' ? ` (${event.reason}): a fresh session starts.` : ''
    log(`[sess] ${LINES[key] ?? event.type}${reason}`)
  }
}
