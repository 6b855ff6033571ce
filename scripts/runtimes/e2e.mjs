// The Hono end-to-end test of the runtime matrix, driven over real HTTP with fetch from the runner (Node) against
// packages/hono/test/runtime/app.ts served by one runtime. Every check counts; none throws past its own step.
import assert from 'node:assert/strict'

const COOKIE = 'sid'

/** `name=value` of the session cookie in a response, with the full Set-Cookie line. */
function sessionCookie(response) {
  const line = response.headers.getSetCookie().find((value) => value.startsWith(`${COOKIE}=`))
  return line === undefined ? undefined : { line, pair: line.split(';')[0] }
}

/** Flips one character of the signature: the id stays, the HMAC no longer matches. */
function tamper(pair) {
  const last = pair.at(-1)
  return pair.slice(0, -1) + (last === 'A' ? 'B' : 'A')
}

/**
 * Runs the scenario against `baseUrl`; resolves to `{ passed, failed, failures }` (`failures`: name and message).
 * `expectRuntime` must prefix what GET /runtime reports (e.g. `node v22.`), so a run can't silently hit the wrong one.
 */
export async function runE2E(baseUrl, expectRuntime) {
  const results = []
  const call = async (method, path, cookie) => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: cookie ? { cookie } : {},
      signal: AbortSignal.timeout(10_000),
    })
    const body = await response.text()
    assert.equal(response.status, 200, `${method} ${path} answered ${response.status}: ${body}`)
    return { response, body: JSON.parse(body), cookie: sessionCookie(response) }
  }
  const step = async (name, fn) => {
    try {
      await fn()
      results.push({ name, ok: true })
    } catch (error) {
      results.push({ name, ok: false, message: error instanceof Error ? error.message : String(error) })
    }
  }
  const state = {}

  await step('reaches the expected runtime', async () => {
    const { body } = await call('GET', '/runtime')
    assert.ok(
      body.runtime.startsWith(expectRuntime),
      `GET /runtime says "${body.runtime}", expected "${expectRuntime}…"`,
    )
  })
  await step('an untouched new session sets no cookie', async () => {
    const { body, cookie } = await call('GET', '/me')
    assert.equal(body.isNew, true)
    assert.equal(cookie, undefined, `unexpected Set-Cookie: ${cookie?.line}`)
  })
  await step('create: Set-Cookie with HttpOnly, SameSite=Lax, Path=/, no Secure over http', async () => {
    const { body, cookie } = await call('POST', '/login?user=alice')
    assert.ok(cookie, 'no session cookie set')
    const attrs = cookie.line.split(';').map((part) => part.trim())
    for (const attr of ['HttpOnly', 'SameSite=Lax', 'Path=/'])
      assert.ok(attrs.includes(attr), `${attr} missing: ${cookie.line}`)
    assert.ok(
      attrs.some((a) => /^Max-Age=\d+$/.test(a) && a !== 'Max-Age=0'),
      `no positive Max-Age: ${cookie.line}`,
    )
    assert.ok(!attrs.includes('Secure'), `Secure on a plain-http response: ${cookie.line}`)
    assert.match(cookie.pair, /^sid=s%3A[\w-]+\.[\w%]+$/, 'express-session format (s: + id + . + signature)')
    state.first = { id: body.id, cookie: cookie.pair }
  })
  await step('read back with the cookie', async () => {
    const { body, cookie } = await call('GET', '/me', state.first.cookie)
    assert.deepEqual(body, { id: state.first.id, isNew: false, user: 'alice', views: 0 })
    assert.equal(cookie, undefined, 'a read-only request must not set a cookie')
  })
  await step('modify, then read the change back', async () => {
    await call('POST', '/visit', state.first.cookie)
    const { body } = await call('GET', '/me', state.first.cookie)
    assert.equal(body.views, 1)
  })
  await step('regenerate: new id and cookie, data kept', async () => {
    const { body, cookie } = await call('POST', '/regenerate', state.first.cookie)
    assert.ok(cookie, 'no new cookie after regenerate')
    assert.notEqual(body.id, state.first.id)
    assert.notEqual(cookie.pair, state.first.cookie)
    state.second = { id: body.id, cookie: cookie.pair }
    const me = await call('GET', '/me', state.second.cookie)
    assert.deepEqual(me.body, { id: state.second.id, isNew: false, user: 'alice', views: 1 })
  })
  await step('regenerate: the old cookie no longer works', async () => {
    const { body } = await call('GET', '/me', state.first.cookie)
    assert.equal(body.isNew, true)
    assert.equal(body.user, null)
    assert.notEqual(body.id, state.first.id)
  })
  await step('destroy: Max-Age=0 and the cookie no longer works', async () => {
    const { cookie } = await call('POST', '/logout', state.second.cookie)
    assert.ok(cookie, 'no expiring cookie after destroy')
    assert.ok(cookie.line.includes('Max-Age=0'), `not an expiring cookie: ${cookie.line}`)
    assert.equal(cookie.pair, `${COOKIE}=`)
    const { body } = await call('GET', '/me', state.second.cookie)
    assert.equal(body.isNew, true)
    assert.equal(body.user, null)
  })
  await step('tampered signature or id: a fresh session, no error', async () => {
    const { cookie } = await call('POST', '/login?user=mallory')
    const otherId = cookie.pair.replace(/^(sid=s%3A)(.)/, (_, p, c) => p + (c === 'a' ? 'b' : 'a'))
    for (const forged of [tamper(cookie.pair), otherId]) {
      const { body } = await call('GET', '/me', forged)
      assert.equal(body.isNew, true, forged)
      assert.equal(body.user, null, forged)
    }
  })
  await step('malformed cookies: a fresh session, no error', async () => {
    for (const bad of ['sid=%E0%A4%A', 'sid=s%3A', 'sid=s%3Aabc', 'sid=', `sid=${'x'.repeat(4000)}`]) {
      const { body } = await call('GET', '/me', bad)
      assert.equal(body.isNew, true, bad)
    }
  })

  const failures = results.filter((r) => !r.ok)
  return { passed: results.length - failures.length, failed: failures.length, failures }
}
