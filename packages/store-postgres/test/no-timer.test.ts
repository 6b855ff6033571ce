import { expect, it } from 'vitest'
import { postgresStore } from '../src/index.js'

/** A pg-shaped client that answers every statement at once with no rows, and records what it was sent. */
function fakeClient(): {
  client: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number }> }
  sent: string[]
} {
  const sent: string[] = []
  return { sent, client: { query: async (text) => (sent.push(text), { rows: [], rowCount: 0 }) } }
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

it('starts no timer: expired rows are swept inside writes, so nothing keeps the process alive', async () => {
  const before = timers()
  const { client, sent } = fakeClient()
  const store = postgresStore({ client, sweep: { probability: 1, limit: 5 } })
  const record = { data: { a: 1 }, createdAt: Date.now(), expiresAt: Date.now() + 60_000, version: 1 }
  await store.set('id', record, 60)
  await store.patch('id', { set: { b: 2 }, unset: [], expiresAt: Date.now() + 60_000 }, 60)
  await store.get('id')
  expect(timers()).toBe(before)
  // The sweep rode inside both writes: one statement each, with a bounded DELETE in its CTE.
  expect(sent).toHaveLength(3)
  for (const text of sent.slice(0, 2))
    expect(text).toMatch(
      /^WITH swept AS \(DELETE FROM "sess_sessions" WHERE ctid = ANY[\s\S]*LIMIT 5 FOR UPDATE SKIP LOCKED/,
    )
})

it('never sweeps with sweep: false, and sweeps about `probability` of writes otherwise', async () => {
  const never = fakeClient()
  const store = postgresStore({ client: never.client, sweep: false })
  const record = { data: {}, createdAt: Date.now(), expiresAt: Date.now() + 60_000, version: 1 }
  for (let i = 0; i < 200; i++) await store.set(`id-${i}`, record, 60)
  expect(never.sent.some((text) => text.includes('swept'))).toBe(false)

  const some = fakeClient()
  const sampled = postgresStore({ client: some.client, sweep: { probability: 0.5 } })
  for (let i = 0; i < 400; i++) await sampled.set(`id-${i}`, record, 60)
  const swept = some.sent.filter((text) => text.includes('swept')).length
  // Binomial(400, 0.5): below 140 or above 260 has a probability under 1e-9.
  expect(swept).toBeGreaterThan(140)
  expect(swept).toBeLessThan(260)
})
