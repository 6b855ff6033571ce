// CSRF protection with a token bound to the session (the synchronizer token pattern): every form carries the
// session's token, and a state-changing request without it is refused. SameSite=Lax already stops most cross-site
// POSTs; the token also covers same-site attackers (a sibling subdomain) and older browsers.
// https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Request, RequestHandler } from 'express'

/** The session's CSRF token, created on first use (a new session gets one when it first renders a form). */
export function csrfToken(req: Request): string {
  req.session.csrf ??= randomBytes(32).toString('base64url')
  return req.session.csrf
}

/** Refuses POST requests whose `_csrf` field does not match the session's token (403). */
export const verifyCsrf: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST') return next()
  const sent = typeof req.body?._csrf === 'string' ? Buffer.from(req.body._csrf) : Buffer.alloc(0)
  const expected = Buffer.from(req.session.csrf ?? '')
  // Constant-time compare, and never accept an empty token against a session without one.
  if (expected.length > 0 && sent.length === expected.length && timingSafeEqual(sent, expected)) return next()
  res.status(403)
  next(new CsrfError())
}

/** A request whose form token did not match its session. */
export class CsrfError extends Error {
  override readonly name = 'CsrfError'
  constructor() {
    super('The form was out of date or did not come from this site.')
  }
}
