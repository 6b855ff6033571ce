// Cookie header parsing and Set-Cookie serializing, sess against the `cookie` package (1.1.1):
//   node src/cookie.mjs [--quick]
// Parsing: headers made only of `;` (issue 17.1: sess once re-scanned the rest of the header for every segment)
// and ordinary headers, at growing sizes. Linear time shows as a flat ns/byte column. Serializing: sess's
// serializeCookie (which builds its attribute text on every call; the adapters' precompiled serializer only
// formats Max-Age and Expires) against cookie's serialize with the same attributes. Prints JSON.
import { getCookieValues, serializeCookie } from '@sess/core'
import { parse, serialize } from 'cookie'
import { measure } from 'mitata'

const quick = process.argv.includes('--quick')
const opts = { min_cpu_time: (quick ? 50 : 300) * 1e6 }
const KB = 1024
const sizes = [16 * KB, 128 * KB, 1024 * KB]
const ordinary = (bytes) => {
  const pairs = []
  for (let i = 0, n = 0; n < bytes; i++) n += (pairs[pairs.length] = `c${i}=v${i}`).length + 2
  return `${pairs.join('; ')}; sid=s%3Aabc.def`.slice(-bytes)
}
const headers = [
  ...sizes.map((bytes) => [`";" only, ${bytes / KB} KB`, ';'.repeat(bytes)]),
  ...sizes.map((bytes) => [`";" then sid=, ${bytes / KB} KB`, `${';'.repeat(bytes - 8)}sid=abc`]),
  ...sizes.map((bytes) => [`ordinary pairs, ${bytes / KB} KB`, ordinary(bytes)]),
]

const parsing = []
for (const [name, header] of headers) {
  const sess = await measure(() => getCookieValues(header, 'sid'), opts)
  const pkg = await measure(() => parse(header).sid, opts)
  parsing.push({
    name,
    bytes: header.length,
    sessMs: sess.avg / 1e6,
    sessNsPerByte: sess.avg / header.length,
    cookieMs: pkg.avg / 1e6,
    cookieNsPerByte: pkg.avg / header.length,
  })
}

const attrs = { path: '/', httpOnly: true, secure: true, sameSite: 'lax', partitioned: false }
const lifetime = { maxAge: 86_400, expiresAtMs: Date.parse('2030-01-01T00:00:00Z') }
const value = 's:Xq3LrVb0d6kM2pQ9sT1uW4yZ7aC8eF5h.2Nh0vJ7Qd5uYw3mB8kR1tZ6xC9aE4fG0hL2pS7dV1o'
// The same attributes in cookie's option shape.
const options = { ...attrs, maxAge: lifetime.maxAge, expires: new Date(lifetime.expiresAtMs) }
const ours = serializeCookie('connect.sid', value, { ...attrs, ...lifetime })
const theirs = serialize('connect.sid', value, options)
if (ours !== theirs) throw new Error(`[bench] serializers differ:\n${ours}\n${theirs}`)
const sessSerialize = await measure(() => serializeCookie('connect.sid', value, { ...attrs, ...lifetime }), opts)
const cookieSerialize = await measure(
  () => serialize('connect.sid', value, { ...options, expires: new Date(lifetime.expiresAtMs) }),
  opts,
)
console.log(
  JSON.stringify(
    {
      note: 'Times per call. Linear parsing: ns/byte stays flat as the header grows.',
      parsing,
      serializing: { sessNs: sessSerialize.avg, cookieNs: cookieSerialize.avg },
    },
    null,
    1,
  ),
)
