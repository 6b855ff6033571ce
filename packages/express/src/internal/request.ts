import type { TLSSocket } from 'node:tls'
import type { DeviceOptions, LoadInput } from '@sess/core'
import { nodeHMAC } from '@sess/core/node'
import type { Request } from 'express'
import { requestChain } from './prototypes.js'

/** The path express-session compares with `cookie.path`: the original URL's, `/` for an empty URL. */
export function pathnameOf(req: Request): string {
  const url = req.originalUrl || req.url || '/'
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}

/**
 * The Cookie header to read the session from. When cookie-parser ran first and the header no longer carries the
 * session cookie, express-session reads `req.signedCookies` (already verified) and `req.cookies`; so does sess.
 */
export function cookieHeader(
  req: Request,
  header: string | undefined,
  name: string,
  secrets: readonly string[],
): string | undefined {
  if (header?.includes(name)) return header
  // cookie-parser's results are own properties: asked for only where they can be, since reading a property a request
  // lacks walks its whole prototype chain at the price of a cache miss at each step (slots.ts says why).
  if (!requestChain(req).parserFields && !Object.hasOwn(req, 'signedCookies') && !Object.hasOwn(req, 'cookies'))
    return header
  const signed = (req as { signedCookies?: Record<string, unknown> }).signedCookies?.[name]
  if (typeof signed === 'string') {
    const value = `s:${signed}.${nodeHMAC(secrets[0] as string, signed)}`
    return `${name}=${encodeURIComponent(value)}`
  }
  const plain = (req as { cookies?: Record<string, unknown> }).cookies?.[name]
  return typeof plain === 'string' ? `${name}=${encodeURIComponent(plain)}` : header
}

/** The secret cookie-parser left on the request (`cookieParser(secret)`), used when sess has none of its own. */
export function parserSecret(req: Request): string[] | undefined {
  const secret = (req as { secret?: unknown }).secret
  return secret ? [String(secret)] : undefined
}

/** express-session's rule for whether the request is HTTPS; `headers` are the request's. */
export function isSecure(req: Request, headers: Request['headers'], proxy: boolean | undefined): boolean {
  if ((req.socket as TLSSocket).encrypted) return true
  if (proxy === false) return false
  if (proxy !== true) return unforwarded(req, headers) ? false : req.secure === true
  const header = String(headers['x-forwarded-proto'] ?? '')
  return (header.split(',')[0] as string).trim().toLowerCase() === 'https'
}

/**
 * True when Express's `req.secure` is known to be false without calling it: the connection is not TLS (checked
 * first), no `X-Forwarded-Proto` header came, and `secure` and `protocol` are Express's getters, which then answer
 * the connection's protocol whatever `trust proxy` says. Calling the getter would cost four property misses
 * (slots.ts says why those are dear). Any other request (an own `req.secure`, a plain Node request, an app that
 * overrides them) is asked.
 */
function unforwarded(req: Request, headers: Request['headers']): boolean {
  if (headers['x-forwarded-proto'] !== undefined || !requestChain(req).expressSecure) return false
  return !Object.hasOwn(req, 'secure') && !Object.hasOwn(req, 'protocol')
}

/** Whether `X-Forwarded-Proto` says HTTPS although the request is not trusted to be (diagnostics). */
function untrustedHttps(req: Request, secure: boolean): boolean {
  const header = req.headers['x-forwarded-proto']
  return !secure && typeof header === 'string' && (header.split(',')[0] as string).trim().toLowerCase() === 'https'
}

/**
 * What core reads about the request beyond the cookie, or undefined when nothing is wanted: the opt-in device
 * (`device.userAgent`, `device.ip`, from Express's `req.ip`) and, only when someone observes events, the path and
 * an untrusted HTTPS proxy for the diagnostics.
 */
export function requestInputs(
  device: DeviceOptions | undefined,
  diagnose: boolean,
): ((req: Request, secure: boolean) => Partial<LoadInput>) | undefined {
  const userAgent = device?.userAgent === true
  const ip = device?.ip === true
  if (!userAgent && !ip && !diagnose) return undefined
  return (req, secure) => ({
    ...(userAgent && { userAgent: req.get('user-agent') }),
    ...(ip && { ip: req.ip }),
    ...(diagnose && { path: pathnameOf(req), untrustedHttps: untrustedHttps(req, secure) }),
  })
}
