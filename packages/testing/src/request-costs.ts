import type { Session, SessionHandle, SessionManager } from '@sess/core'
import { expect } from 'vitest'
import type { FakeClock } from './fake-clock.js'

/**
 * Runs one request of {@link requestCostScenario} and records what it cost the store: loads with `load`, runs
 * `handle` on the session, commits; resolves to the response's Set-Cookie values.
 */
export type MeasureRequest = (
  request: string,
  load: () => Promise<SessionHandle | undefined>,
  handle?: (session: Session) => unknown,
) => Promise<string[]>

/** What {@link requestCostScenario} runs on. */
export interface RequestCostOptions {
  /** A manager on the store under test, with `clock` and a one-hour idle timeout. */
  manager: SessionManager
  clock: FakeClock
  measure: MeasureRequest
  /** Checks, after the due touch, that it happened (the new expiry, or the re-sent cookie). */
  touched(cookie: string, setCookie: string[]): Promise<void> | void
}

/**
 * The requests whose store round trips the stores' tests report, in this order and under these names, each
 * through `measure`: 'no cookie, session unused', 'new session', 'read-only, touch not due', 'read-only, touch due'
 * (10 minutes later), 'write to an existing session', 'bind a user (setUser)', 'log out everywhere (2 sessions)'
 * (the manager call, with no request), 'regenerate (login)' and 'destroy'. Resolves to a maker of one more session
 * (its cookie), for requests a store measures after these.
 */
export async function requestCostScenario(options: RequestCostOptions): Promise<() => Promise<string>> {
  const { manager, clock, measure } = options
  const cookieOf = (setCookie: readonly string[]): string | undefined => setCookie[0]?.split(';')[0]
  const request = (cookie: string | undefined) => () => manager.load({ cookie })
  const views = (s: Session): unknown => s.get('views' as never)
  const newSession = async (): Promise<string> => {
    const handle = await manager.load({})
    handle.session.set('views' as never, 1 as never)
    return cookieOf((await handle.commit()).setCookie)!
  }

  await measure('no cookie, session unused', request(undefined))
  const cookie = cookieOf(await measure('new session', request(undefined), (s) => s.set('views' as never, 1 as never)))!
  await measure('read-only, touch not due', request(cookie), views)
  clock.advance(600_000)
  await options.touched(cookie, await measure('read-only, touch due', request(cookie), views))
  await measure('write to an existing session', request(cookie), (s) => s.set('views' as never, 2 as never))
  await measure('bind a user (setUser)', request(cookie), (s) => s.setUser('user-1'))
  const second = await manager.load({})
  second.session.setUser('user-1')
  await second.commit()
  await measure('log out everywhere (2 sessions)', async () => {
    expect(await manager.destroyUserSessions('user-1')).toBe(2)
    return undefined
  })
  await measure('regenerate (login)', request(await newSession()), (s) => s.regenerate({ keepData: true }))
  await measure('destroy', request(await newSession()), (s) => s.destroy())
  return newSession
}
