import { memoryStore } from '@sess/store-memory'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from './apps.js'
import { APPS } from './apps.js'
import { fuzz, SEED } from './fuzz.js'

// Random and adversarial Cookie headers against each adapter through a real server: never a 5xx, and a session's
// data only ever reaches a request that carried that session's own signed cookie.

/** Characters a fetch Headers value may hold (no CR, LF or NUL), weighted towards the ones parsers trip on. */
const headerChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(';', '=', ' ', '\t', '"', '%', ',', '\\', '.', ':', 's') },
  { weight: 3, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
)
const junk = fc.string({ unit: headerChar, maxLength: 40 })

interface Known {
  app: App
  /** `name=value` of each owner's session cookie. */
  pairs: Record<'alice' | 'bob', string>
}

/** A header built from the real cookies (whole, tampered, renamed, duplicated) and junk. */
function headerOf(known: Known): fc.Arbitrary<string> {
  const { alice, bob } = known.pairs
  const name = known.app.cookieName
  const value = (pair: string): string => pair.slice(pair.indexOf('=') + 1)
  const part = fc.oneof(
    fc.constantFrom(alice, bob, `${name}=`, `${name}`, `${name}=${value(alice)}x`, `x${alice}`),
    fc.tuple(fc.constantFrom(alice, bob), fc.nat(), headerChar).map(([pair, at, ch]) => {
      const i = pair.indexOf('=') + 1 + (at % (pair.length - pair.indexOf('=') - 1))
      return pair.slice(0, i) + ch + pair.slice(i + 1)
    }),
    fc.tuple(fc.constantFrom(alice, bob), fc.nat()).map(([pair, cut]) => pair.slice(0, cut % pair.length)),
    junk.map((j) => `${name}=${j}`),
    junk,
    fc.nat({ max: 4000 }).map((n) => ';'.repeat(n)),
  )
  const separator = fc.constantFrom('; ', ';', ' ; ', ';;', '')
  return fc
    .array(fc.tuple(part, separator), { maxLength: 8 })
    .map((parts) => parts.map(([p, s]) => p + s).join(''))
    .filter((h) => h.length < 14_000)
}

/** The owners whose exact cookie pair is one of the header's `;`-separated pairs. */
function carried(header: string, known: Known): Set<string> {
  const pairs = new Set(header.split(';').map((p) => p.replace(/^[ \t]+|[ \t]+$/g, '')))
  return new Set((['alice', 'bob'] as const).filter((owner) => pairs.has(known.pairs[owner])))
}

for (const [adapter, makeApp] of APPS) {
  describe(`${adapter}: adversarial Cookie headers (seed ${SEED})`, () => {
    let known: Known
    beforeAll(async () => {
      const app = await makeApp(memoryStore())
      const claim = async (owner: string): Promise<string> => {
        const response = await app.request(`/claim?owner=${owner}`, { method: 'POST' })
        const pair = response.headers.getSetCookie()[0]?.split(';')[0]
        if (!pair) throw new Error(`[fuzz] ${adapter} set no cookie on /claim`)
        return pair
      }
      known = { app, pairs: { alice: await claim('alice'), bob: await claim('bob') } }
      for (const owner of ['alice', 'bob'] as const) {
        const response = await app.request('/whoami', { headers: { cookie: known.pairs[owner] } })
        expect(await response.json()).toEqual({ owner })
      }
    })
    afterAll(() => known?.app.close())

    it('never answers 5xx, and serves a session only to a request carrying its own cookie', async () => {
      await fuzz(
        `${adapter} cookies`,
        fc.asyncProperty(
          fc.constant(null).chain(() => headerOf(known)),
          async (cookie) => {
            const response = await known.app.request('/whoami', { headers: { cookie } })
            expect(response.status).toBe(200)
            const { owner } = (await response.json()) as { owner: string | null }
            if (owner !== null) expect(carried(cookie, known).has(owner)).toBe(true)
          },
        ),
        200,
      )
    })
  })
}
