import type { TLSSocket } from 'node:tls'
import { nodeHMAC } from '@sess/core/node'
import type { Request } from 'express'

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
export function cookieHeader(req: Request, name: string, secrets: readonly string[]): string | undefined {
  const header = req.headers.cookie
  if (header?.includes(name)) return header
  const signed = (req as { signedCookies?: Record<string, unknown> }).signedCookies?.[name]
  if (typeof signed === 'string') {
    const value = `s:${signed}.${nodeHMAC(secrets[0] as string, signed)}`
    return `${name}=${encodeURIComponent(value)}`
  }
  const plain = (req as { cookies?: Record<string, unknown> }).cookies?.[name]
  return typeof plain === 'string' ? `${name}=${encodeURIComponent(plain)}` : header
}

/** express-session's rule for whether the request is HTTPS. */
export function isSecure(req: Request, proxy: boolean | undefined): boolean {
  if ((req.socket as TLSSocket).encrypted) return true
  if (proxy === false) return false
  if (proxy !== true) return req.secure === true
  const header = String(req.headers['x-forwarded-proto'] ?? '')
  return (header.split(',')[0] as string).trim().toLowerCase() === 'https'
}
