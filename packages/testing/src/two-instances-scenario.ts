import { expect } from 'vitest'
import type { JsonApp } from './json-app.js'

/**
 * Two instances of one app on one store, as behind a load balancer. Each app implements `GET /` (`{ data }`, the
 * session's data), `GET /set?k=v` (sets the keys) and `GET /delay?ms=&k=v` (waits `ms` between load and commit, so
 * requests overlap, then sets the keys); a strict-mode conflict answers `409 { code }`.
 *
 * Two concurrent writes to different keys of one session, one on each instance: both are kept.
 */
export async function concurrentKeysScenario(a: JsonApp, b: JsonApp): Promise<void> {
  const { cookie } = await a.request('/set?base=1')
  const [left, right] = await Promise.all([
    a.request('/delay?ms=150&left=L', cookie),
    b.request('/delay?ms=150&right=R', cookie),
  ])
  expect([left.status, right.status]).toEqual([200, 200])
  expect((await a.request('/', cookie)).body.data).toEqual({ base: '1', left: 'L', right: 'R' })
}

/**
 * The apps of {@link concurrentKeysScenario} in strict mode: of two overlapping writes to one key, the one that
 * commits second answers 409 `SESSION_CONFLICT`, and the first one's value stays.
 */
export async function staleWriteScenario(a: JsonApp, b: JsonApp): Promise<void> {
  const { cookie } = await a.request('/set?owner=nobody')
  const [first, second] = await Promise.all([
    a.request('/delay?ms=50&owner=a', cookie),
    b.request('/delay?ms=300&owner=b', cookie),
  ])
  expect(first.status).toBe(200)
  expect(second).toMatchObject({ status: 409, body: { code: 'SESSION_CONFLICT' } })
  expect((await b.request('/', cookie)).body.data).toEqual({ owner: 'a' })
}
