// Plain HTTP helpers for setup and validation (never used in the timed windows).
import http from 'node:http'
import { pool } from './stats.mjs'

/** One GET: status, parsed JSON body, the Set-Cookie values and the cookie header a browser would send next. */
export async function get(origin, path, cookie) {
  const response = await fetch(new URL(path, origin), { headers: cookie ? { cookie } : {} })
  const text = await response.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  const setCookie = response.headers.getSetCookie()
  return {
    status: response.status,
    body,
    setCookie,
    cookieBytes: setCookie.reduce((n, value) => n + 'set-cookie: '.length + Buffer.byteLength(value) + 2, 0),
    next: nextCookie(cookie, setCookie),
  }
}

/** The Cookie header after applying `setCookie` to `cookie`, as a browser would (expired cookies dropped). */
export function nextCookie(cookie, setCookie) {
  const jar = new Map()
  for (const pair of (cookie ?? '').split(/;\s*/).filter(Boolean)) {
    const eq = pair.indexOf('=')
    jar.set(pair.slice(0, eq), pair.slice(eq + 1))
  }
  for (const line of setCookie) {
    const [pair, ...attributes] = line.split(/;\s*/)
    const eq = pair.indexOf('=')
    const name = pair.slice(0, eq)
    const expired = attributes.some(
      (a) => /^max-age=(0|-\d+)$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()),
    )
    if (expired) jar.delete(name)
    else jar.set(name, pair.slice(eq + 1))
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
}

/** Creates `count` sessions through the app itself (GET /write without a cookie); returns their cookie headers. */
export async function createPool(origin, count, concurrency = 16) {
  return pool(Array.from({ length: count }), concurrency, async () => {
    const r = await get(origin, '/write')
    if (r.status !== 200 || r.body?.n !== 1 || !r.next) {
      throw new Error(
        `[bench] creating a session at ${origin}/write: status ${r.status}, body ${JSON.stringify(r.body)}, cookie ${r.next ? 'yes' : 'none'}`,
      )
    }
    return r.next
  })
}

/** Reads every pool session's counter through GET /read. */
export async function readCounters(origin, cookies, concurrency = 16) {
  return pool(cookies, concurrency, async (cookie) => {
    const r = await get(origin, '/read', cookie)
    if (r.status !== 200 || typeof r.body?.n !== 'number') {
      throw new Error(`[bench] reading a session at ${origin}/read: status ${r.status}, body ${JSON.stringify(r.body)}`)
    }
    return r.body.n
  })
}

/**
 * One keep-alive connection to a local server, one request at a time, for the per-request counters
 * (instructions.mjs, alloc.mjs): `send` resolves to the response's Set-Cookie values once its body is read.
 */
export function sequentialClient(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const send = (path, cookie) =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers: cookie ? { cookie } : {} }, (r) => {
        r.resume()
        r.on('end', () => resolve(r.headers['set-cookie']))
      })
      req.on('error', reject)
    })
  return {
    send,
    /** The cookie to send with `path`: a session made by a first /write (none for /untouched). */
    async cookieFor(path) {
      const set = await send('/write')
      return path === '/untouched' ? undefined : (set?.[0]?.split(';')[0] ?? 'sid=s%3Aa.b')
    },
    close: () => agent.destroy(),
  }
}
