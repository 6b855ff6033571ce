// Flash messages: set before a redirect, shown once on the next page, kept in the session.
import type { Request } from 'express'

/** One message for the next page. */
export interface Flash {
  kind: 'info' | 'error'
  text: string
}

/** Queues a message for the next page this session renders. */
export function flash(req: Request, kind: Flash['kind'], text: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, text }]
}

/** The queued messages, removed from the session. */
export function takeFlash(req: Request): Flash[] {
  const messages = req.session.flash ?? []
  if (messages.length > 0) delete req.session.flash
  return messages
}
