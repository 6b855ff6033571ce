import { parse, serialize } from 'cookie'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getCookieValues, MAX_COOKIE_CANDIDATES } from '../src/cookie/parse.js'
import { serializeCookie } from '../src/cookie/serialize.js'

// The cookie codec is hand-written (getCookieValues keeps every duplicate, which the `cookie` package's parse
// drops), so it is checked against `cookie` 1.1.1 on random and adversarial input. FUZZ_SEED replays a run;
// FUZZ_RUNS scales it.
const seed = Number(globalThis.process?.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const numRuns = Number(globalThis.process?.env.FUZZ_RUNS ?? 2000)
const NAMES = ['sid', 'connect.sid', 'a', 'sess']

const identity = (raw: string): string => raw

/** What sess makes of one raw value: unquoted, percent-decoded, and dropped when empty or undecodable. */
function accepted(raw: string): string | undefined {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
  let decoded = value
  if (value.includes('%')) {
    try {
      decoded = decodeURIComponent(value)
    } catch {
      return undefined
    }
  }
  return decoded === '' ? undefined : decoded
}

/** Every raw value of `name`, in order: each `;`-separated segment read by `cookie`'s own parse. */
function rawValues(header: string, name: string): string[] {
  const out: string[] = []
  for (const segment of header.split(';')) {
    const value = parse(segment, { decode: identity })[name]
    if (value !== undefined) out.push(value)
  }
  return out
}

const fragment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(';', '=', ' ', '\t', '\n', '\u00a0', '"', '%', '%E0%A4', '%20', ';;;', '=='),
  },
  { weight: 3, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 2, arbitrary: fc.stringMatching(/^[\w.!~*'()-]{0,12}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
)
const header = fc.oneof(
  fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
  fc
    .array(fc.tuple(fc.constantFrom(...NAMES), fc.string({ maxLength: 10 }), fc.constantFrom(';', '; ', ' ;\t', ';;')))
    .map((pairs) => pairs.map(([n, v, sep]) => `${n}=${v}${sep}`).join('')),
  fc.nat({ max: 3000 }).map((n) => `${';'.repeat(n)}sid=last`),
)

describe(`getCookieValues against cookie@1.1.1 (seed ${seed}, ${numRuns} runs; replay with FUZZ_SEED=${seed})`, () => {
  it('finds, in order, the values cookie reads from each pair of that name', () => {
    fc.assert(
      fc.property(header, fc.constantFrom(...NAMES), (h, name) => {
        const expected = rawValues(h, name)
          .map(accepted)
          .filter((v) => v !== undefined)
          .slice(0, MAX_COOKIE_CANDIDATES)
        expect(getCookieValues(h, name)).toEqual(expected)
      }),
      { seed, numRuns },
    )
  })

  it("takes the same first pair as cookie's whole-header parse", () => {
    fc.assert(
      fc.property(header, fc.constantFrom(...NAMES), (h, name) => {
        const first = parse(h, { decode: identity })[name]
        const ours = getCookieValues(h, name)
        if (first === undefined) expect(ours).toEqual([])
        else if (accepted(first) !== undefined) expect(ours[0]).toBe(accepted(first))
      }),
      { seed, numRuns },
    )
  })

  // The serializer stays hand-written (precompiled per cookie; bench/src/cookie.mjs did not show cookie's serialize
  // to be as fast, see bench/NOTES.md), so its output is held to cookie's on random values and attributes.
  it("writes the same Set-Cookie text as cookie's serialize", () => {
    const attributes = fc.record({
      path: fc.constantFrom('/', '/app', '/a/b'),
      domain: fc.option(fc.constantFrom('example.com', '.sub.example.org'), { nil: undefined }),
      httpOnly: fc.boolean(),
      secure: fc.boolean(),
      partitioned: fc.boolean(),
      sameSite: fc.option(fc.constantFrom('lax', 'strict', 'none'), { nil: undefined }),
      priority: fc.option(fc.constantFrom('low', 'medium', 'high'), { nil: undefined }),
      maxAge: fc.option(fc.nat({ max: 400 * 86_400 }), { nil: undefined }),
      expiresAtMs: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: undefined }),
    })
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), attributes, (value, a) => {
        // cookie's own options type has no room for explicit undefined (exactOptionalPropertyTypes); it skips them.
        const options = {
          ...a,
          expires: a.expiresAtMs === undefined ? undefined : new Date(Math.floor(a.expiresAtMs / 1000) * 1000),
        } as Parameters<typeof serialize>[2]
        const expected = serialize('connect.sid', value, options)
        expect(serializeCookie('connect.sid', value, a)).toBe(expected)
      }),
      { seed, numRuns },
    )
  })
})
