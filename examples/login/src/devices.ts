// "Your devices": the user's sessions as sess lists them (created, last seen, user agent, the current one marked),
// each under an opaque handle. The page never contains a listed id: with a store that keeps raw ids it is the
// session id, a bearer credential (HttpOnly keeps it from scripts for a reason).
import { createHash } from 'node:crypto'
import type { Request } from 'express'

/** One of the user's sessions, as the devices page shows it. */
export interface Device {
  /** An opaque reference for the forms: a hash of the listed id, useless as a cookie. */
  handle: string
  current: boolean
  userAgent: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
}

/** The signed-in user's live sessions, the current one first, then the most recently seen. */
export async function listDevices(req: Request): Promise<Device[]> {
  const devices = (await req.session.listUserSessions()).map((d) => ({
    handle: handleOf(d.id),
    current: d.current,
    userAgent: d.userAgent ?? 'unknown browser',
    createdAt: d.createdAt,
    lastSeenAt: d.lastSeenAt,
    expiresAt: d.expiresAt,
  }))
  return devices.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt)
}

/**
 * Signs out the user's session listed under `handle`, by its listed id. Only sessions of the signed-in user are
 * candidates (sess revokes only ids listed for this user), so a handle from elsewhere does nothing. Resolves to
 * whether one was found.
 */
export async function signOutDevice(req: Request, handle: string): Promise<boolean> {
  const match = (await req.session.listUserSessions()).find(({ id }) => handleOf(id) === handle)
  return match === undefined ? false : req.session.destroyUserSession(match.id)
}

function handleOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 22)
}
