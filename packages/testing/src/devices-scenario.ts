import { expect } from 'vitest'

/** A device: a client with its own cookie jar against one server (HTTPS as far as the app can tell). */
export interface ScenarioDevice {
  request(path: string, init?: { method?: string; headers?: Record<string, string> }): Promise<Response>
}

/** A session as an adapter's `listUserSessions()` lists it ("your devices"). */
export interface ListedDevice {
  id: string
  current: boolean
  createdAt: number
  lastSeenAt: number
  expiresAt: number
  userAgent?: string
  ip?: string
}

/**
 * "Your devices" through a real server, the same for every adapter. The app implements `POST /login` (regenerate,
 * then `setUser('ada')`), `GET /devices` (`listUserSessions()`), `POST /revoke/:id` (`{ revoked:
 * destroyUserSession(id) }`), `POST /others` (`{ ended: destroyUserSessions({ exceptCurrent: true }) }`), `GET /who`
 * (`{ user }`, the signed-in user or null); an error answers `500 { code, message }`.
 *
 * Two devices of one user: each lists both with its own session marked `current`; one revokes the other by its
 * listed id (`'#' + hash` with `hashed`); that one is signed out, this one stays and lists only itself.
 */
export async function twoDevicesScenario(device: () => ScenarioDevice, hashed: boolean): Promise<void> {
  const json = async <T>(d: ScenarioDevice, path: string, method = 'GET'): Promise<T> =>
    (await (await d.request(path, { method })).json()) as T
  const laptop = device()
  const phone = device()
  await laptop.request('/login', { method: 'POST', headers: { 'user-agent': 'Laptop/1.0' } })
  await phone.request('/login', { method: 'POST', headers: { 'user-agent': 'Phone/2.0' } })
  const fromLaptop = await json<ListedDevice[]>(laptop, '/devices')
  const fromPhone = await json<ListedDevice[]>(phone, '/devices')
  expect(fromLaptop).toHaveLength(2)
  expect(fromLaptop.filter((d) => d.current)).toHaveLength(1)
  const phoneRow = fromLaptop.find((d) => !d.current) as ListedDevice
  // The phone sees the same two ids, the other one marked.
  expect(fromPhone.find((d) => d.current)?.id).toBe(phoneRow.id)
  expect(phoneRow.id.startsWith('#')).toBe(hashed)
  for (const d of fromLaptop) {
    expect(d.lastSeenAt).toBeGreaterThanOrEqual(d.createdAt)
    expect(d.expiresAt).toBeGreaterThan(d.lastSeenAt)
  }
  expect(await json(laptop, `/revoke/${encodeURIComponent(phoneRow.id)}`, 'POST')).toEqual({ revoked: true })
  expect(await json(phone, '/who')).toEqual({ user: null })
  expect(await json(laptop, '/who')).toEqual({ user: 'ada' })
  expect((await json<ListedDevice[]>(laptop, '/devices')).map((d) => d.current)).toEqual([true])
}

/** Without a signed-in user, every per-user call fails with core's `USER_MISSING` (a message naming setUser). */
export async function callsWithoutUserScenario(device: ScenarioDevice): Promise<void> {
  for (const [path, method] of [
    ['/devices', 'GET'],
    ['/revoke/x', 'POST'],
    ['/others', 'POST'],
  ] as const) {
    const response = await device.request(path, { method })
    expect(response.status).toBe(500)
    const body = (await response.json()) as { code: string; message: string }
    expect(body.code).toBe('USER_MISSING')
    expect(body.message).toMatch(/^\[sess\] .*setUser/)
  }
}
