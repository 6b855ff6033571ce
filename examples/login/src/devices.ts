// "Your devices": the user's sessions as the store lists them, each under an opaque handle. The page never contains
// a session id: ids are bearer credentials, and HttpOnly keeps them from scripts for a reason.
import { createHash } from 'node:crypto'
import type { Request } from 'express'

/** One of the user's sessions, as the devices page shows it. */
export interface Device {
  /** An opaque reference for the forms: a hash of the session id, useless as a cookie. */
  handle: string
  current: boolean
  userAgent: string
  signedInAt: number
  expiresAt: number
}

/** The signed-in user's live sessions, the current one first. */
export async function listDevices(req: Request): Promise<Device[]> {
  const sessions = await req.session.listUserSessions()
  const devices = sessions.map(({ id, session }) => {
    const device = session.data.device as { userAgent?: string; signedInAt?: number } | undefined
    return {
      handle: handleOf(id),
      current: id === req.session.id,
      userAgent: device?.userAgent ?? 'unknown browser',
      signedInAt: device?.signedInAt ?? session.createdAt,
      expiresAt: session.expiresAt,
    }
  })
  return devices.sort((a, b) => Number(b.current) - Number(a.current) || b.signedInAt - a.signedInAt)
}

/**
 * Signs out the user's session listed under `handle`. Only sessions of the signed-in user are candidates, so a
 * handle from elsewhere does nothing. Resolves to whether one was found.
 */
export async function signOutDevice(req: Request, handle: string): Promise<boolean> {
  const sessions = await req.session.listUserSessions()
  const match = sessions.find(({ id }) => handleOf(id) === handle)
  if (!match) return false
  // TODO(15): use the core's revoke-by-listed-id once it exists; the store's destroy is the same operation today.
  await (req.sessionStore as { destroy(id: string): Promise<void> }).destroy(match.id)
  return true
}

function handleOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 22)
}
