// The Hono end-to-end scenarios of the runtime matrix, driven over real HTTP with fetch from the runner (Node) against
// packages/hono/test/runtime/app.ts served by one runtime: `/memory` (a signed id, the memory store), `/sealed`
// (sealed-cookie mode, no store) and `/kv` (a signed id, a store that outlives the process). Every check counts; none
// throws past its own step. `server` is `{ url(): string, restart(): Promise<void> }`: a restart is a new process
// (new port, same secret, same store files), so what survives it was not kept in the server's memory.
import assert from 'node:assert/strict'

const COOKIE = 'sid'
/** express-session's format, which the store-backed mounts use: `s:` + id + `.` + signature, URL-encoded. */
const SIGNED = /^sid=s%3A[\w-]+\.[\w%]+$/

/** `name=value` of the session cookie in a response, with the full Set-Cookie line. */
function sessionCookie(response) {
  const line = response.headers.getSetCookie().find((value) => value.startsWith(`${COOKIE}=`))
  return line === undefined ? undefined : { line, pair: line.split(';')[0] }
}

/** Replaces the character at `index` with another base64url character. */
function flipAt(text, index) {
  const i = index < 0 ? text.length + index : index
  return text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1)
}

/** Flips the first character of the signature: the id stays, the HMAC no longer matches. */
const tamperSignature = (pair) => flipAt(pair, pair.lastIndexOf('.') + 1)
/** Changes the first character of the id: the signature no longer matches it. */
const tamperId = (pair) => flipAt(pair, 'sid=s%3A'.length)

/** The cookie attributes every session cookie must carry over plain http. */
function assertAttributes(line) {
  const attrs = line.split(';').map((part) => part.trim())
  for (const attr of ['HttpOnly', 'SameSite=Lax', 'Path=/']) assert.ok(attrs.includes(attr), `${attr} missing: ${line}`)
  assert.ok(
    attrs.some((a) => /^Max-Age=\d+$/.test(a) && a !== 'Max-Age=0'),
    `no positive Max-Age: ${line}`,
  )
  assert.ok(!attrs.includes('Secure'), `Secure on a plain-http response: ${line}`)
}

/** One scenario's HTTP client and step recorder. */
function scenario(server) {
  const results = []
  const call = async (method, path, cookie) => {
    const response = await fetch(new URL(path, server.url()), {
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
  const done = () => {
    const failures = results.filter((r) => !r.ok)
    return { passed: results.length - failures.length, failed: failures.length, failures }
  }
  return { call, step, done }
}

/**
 * `/memory`: the memory store. Resolves to `{ passed, failed, failures }` (`failures`: name and message).
 * `expectRuntime` must prefix what GET /runtime reports (e.g. `node v22.`), so a run can't silently hit the wrong one.
 */
export async function runE2E(server, expectRuntime) {
  const { call, step, done } = scenario(server)
  const state = {}

  await step('reaches the expected runtime', async () => {
    const { body } = await call('GET', '/runtime')
    assert.ok(
      body.runtime.startsWith(expectRuntime),
      `GET /runtime says "${body.runtime}", expected "${expectRuntime}…"`,
    )
  })
  await step('an untouched new session sets no cookie', async () => {
    const { body, cookie } = await call('GET', '/memory/me')
    assert.equal(body.isNew, true)
    assert.equal(cookie, undefined, `unexpected Set-Cookie: ${cookie?.line}`)
  })
  await step('create: Set-Cookie with HttpOnly, SameSite=Lax, Path=/, no Secure over http', async () => {
    const { body, cookie } = await call('POST', '/memory/login?user=alice')
    assert.ok(cookie, 'no session cookie set')
    assertAttributes(cookie.line)
    assert.match(cookie.pair, SIGNED, 'express-session format (s: + id + . + signature)')
    state.first = { id: body.id, cookie: cookie.pair }
  })
  await step('read back with the cookie', async () => {
    const { body, cookie } = await call('GET', '/memory/me', state.first.cookie)
    assert.deepEqual(body, { id: state.first.id, isNew: false, user: 'alice', views: 0 })
    assert.equal(cookie, undefined, 'a read-only request must not set a cookie')
  })
  await step('modify, then read the change back', async () => {
    await call('POST', '/memory/visit', state.first.cookie)
    const { body } = await call('GET', '/memory/me', state.first.cookie)
    assert.equal(body.views, 1)
  })
  await step('regenerate: new id and cookie, data kept', async () => {
    const { body, cookie } = await call('POST', '/memory/regenerate', state.first.cookie)
    assert.ok(cookie, 'no new cookie after regenerate')
    assert.notEqual(body.id, state.first.id)
    assert.notEqual(cookie.pair, state.first.cookie)
    state.second = { id: body.id, cookie: cookie.pair }
    const me = await call('GET', '/memory/me', state.second.cookie)
    assert.deepEqual(me.body, { id: state.second.id, isNew: false, user: 'alice', views: 1 })
  })
  await step('regenerate: the old cookie no longer works', async () => {
    const { body } = await call('GET', '/memory/me', state.first.cookie)
    assert.equal(body.isNew, true)
    assert.equal(body.user, null)
    assert.notEqual(body.id, state.first.id)
  })
  await step('destroy: Max-Age=0 and the cookie no longer works', async () => {
    const { cookie } = await call('POST', '/memory/logout', state.second.cookie)
    assert.ok(cookie, 'no expiring cookie after destroy')
    assert.ok(cookie.line.includes('Max-Age=0'), `not an expiring cookie: ${cookie.line}`)
    assert.equal(cookie.pair, `${COOKIE}=`)
    const { body } = await call('GET', '/memory/me', state.second.cookie)
    assert.equal(body.isNew, true)
    assert.equal(body.user, null)
  })
  await step('tampered signature or id: a fresh session, no error', async () => {
    const { cookie } = await call('POST', '/memory/login?user=mallory')
    for (const forged of [tamperSignature(cookie.pair), tamperId(cookie.pair)]) {
      const { body } = await call('GET', '/memory/me', forged)
      assert.equal(body.isNew, true, forged)
      assert.equal(body.user, null, forged)
    }
  })
  await step('malformed cookies: a fresh session, no error', async () => {
    for (const bad of ['sid=%E0%A4%A', 'sid=s%3A', 'sid=s%3Aabc', 'sid=', `sid=${'x'.repeat(4000)}`]) {
      const { body } = await call('GET', '/memory/me', bad)
      assert.equal(body.isNew, true, bad)
    }
  })
  return done()
}

/** base64url → the raw bytes as a latin1 string, to search the sealed cookie for plaintext. */
const rawBytes = (value) => Buffer.from(value, 'base64url').toString('latin1')

/** `/sealed`: sealed-cookie mode, the whole session in the cookie, no store. */
export async function runSealedE2E(server) {
  const { call, step, done } = scenario(server)
  const USER = 'alice-sealed-plaintext'
  const state = {}

  await step('sealed: an untouched new session sets no cookie', async () => {
    const { body, cookie } = await call('GET', '/sealed/me')
    assert.equal(body.isNew, true)
    assert.equal(cookie, undefined, `unexpected Set-Cookie: ${cookie?.line}`)
  })
  await step('sealed create: an encrypted cookie that holds neither the data nor the id in readable form', async () => {
    const { body, cookie } = await call('POST', `/sealed/login?user=${USER}`)
    assert.ok(cookie, 'no session cookie set')
    assertAttributes(cookie.line)
    const value = cookie.pair.slice(`${COOKIE}=`.length)
    assert.match(value, /^[A-Za-z0-9_-]{60,}$/, `not a base64url seal: ${cookie.pair}`)
    for (const text of [value, rawBytes(value)]) {
      for (const secret of ['alice', '"user"', body.id]) assert.ok(!text.includes(secret), `the cookie shows ${secret}`)
    }
    state.first = { id: body.id, cookie: cookie.pair }
  })
  await step('sealed: read back after a server restart (nothing kept on the server)', async () => {
    await server.restart()
    const { body, cookie } = await call('GET', '/sealed/me', state.first.cookie)
    assert.deepEqual(body, { id: state.first.id, isNew: false, user: USER, views: 0 })
    assert.equal(cookie, undefined, 'a read-only request must not set a cookie')
  })
  await step(
    'sealed: a change re-seals the cookie; the new one carries it, the old one still holds the old data',
    async () => {
      const { cookie } = await call('POST', '/sealed/visit', state.first.cookie)
      assert.ok(cookie, 'no re-sealed cookie after a change')
      assert.notEqual(cookie.pair, state.first.cookie)
      assert.equal((await call('GET', '/sealed/me', cookie.pair)).body.views, 1)
      assert.equal((await call('GET', '/sealed/me', state.first.cookie)).body.views, 0)
      state.visited = cookie.pair
    },
  )
  await step('sealed regenerate: new id and cookie, data kept', async () => {
    const { body, cookie } = await call('POST', '/sealed/regenerate', state.visited)
    assert.ok(cookie, 'no new cookie after regenerate')
    assert.notEqual(body.id, state.first.id)
    state.second = { id: body.id, cookie: cookie.pair }
    const me = await call('GET', '/sealed/me', state.second.cookie)
    assert.deepEqual(me.body, { id: state.second.id, isNew: false, user: USER, views: 1 })
  })
  await step('sealed destroy: Max-Age=0 and an empty cookie', async () => {
    const { body, cookie } = await call('POST', '/sealed/logout', state.second.cookie)
    assert.ok(cookie, 'no expiring cookie after destroy')
    assert.ok(cookie.line.includes('Max-Age=0'), `not an expiring cookie: ${cookie.line}`)
    assert.equal(cookie.pair, `${COOKIE}=`)
    assert.equal(body.user, null)
  })
  await step(
    'sealed: a kept copy of a destroyed session still opens until it expires (README: no revocation)',
    async () => {
      const { body } = await call('GET', '/sealed/me', state.second.cookie)
      assert.deepEqual(body, { id: state.second.id, isNew: false, user: USER, views: 1 })
    },
  )
  await step('sealed: tampered, truncated or foreign cookies give a fresh session, no error', async () => {
    const value = state.second.cookie.slice(`${COOKIE}=`.length)
    const signed = (await call('POST', '/memory/login?user=mallory')).cookie.pair
    const forged = {
      'flipped IV': flipAt(value, 0),
      'flipped ciphertext': flipAt(value, Math.floor(value.length / 2)),
      'flipped tag': flipAt(value, -3),
      'truncated tag': value.slice(0, -4),
      'shorter than IV + tag': value.slice(0, 30),
      extended: `${value}AAAA`,
      'a signed id cookie': signed.slice(`${COOKIE}=`.length),
      'not base64url': '%E0%A4%A',
      huge: 'x'.repeat(4000),
    }
    for (const [what, bad] of Object.entries(forged)) {
      const { body } = await call('GET', '/sealed/me', `${COOKIE}=${bad}`)
      assert.equal(body.isNew, true, what)
      assert.equal(body.user, null, what)
    }
  })
  return done()
}

/**
 * `/kv`: a store that outlives the process. `driver` must equal what GET /runtime reports as mounted;
 * `inspect.has(id)`, when given, looks into the store's files from outside the server.
 */
export async function runKvE2E(server, { driver, inspect }) {
  const { call, step, done } = scenario(server)
  const state = {}
  const assertStored = (id, expected, message) => {
    if (inspect) assert.equal(inspect.has(id), expected, message)
  }

  await step(`kv: the store is ${driver}`, async () => {
    assert.equal((await call('GET', '/runtime')).body.kv, driver)
  })
  await step('kv create: a signed id cookie, the record in the store', async () => {
    const { body, cookie } = await call('POST', '/kv/login?user=alice')
    assert.ok(cookie, 'no session cookie set')
    assertAttributes(cookie.line)
    assert.match(cookie.pair, SIGNED, 'express-session format (s: + id + . + signature)')
    assertStored(body.id, true, 'no record in the store files')
    state.first = { id: body.id, cookie: cookie.pair }
  })
  await step('kv: read back on a later request, after a server restart (the record lives in the store)', async () => {
    await server.restart()
    const { body, cookie } = await call('GET', '/kv/me', state.first.cookie)
    assert.deepEqual(body, { id: state.first.id, isNew: false, user: 'alice', views: 0 })
    assert.equal(cookie, undefined, 'a read-only request must not set a cookie')
  })
  await step('kv: modify, then read the change back', async () => {
    await call('POST', '/kv/visit', state.first.cookie)
    assert.equal((await call('GET', '/kv/me', state.first.cookie)).body.views, 1)
  })
  await step('kv regenerate: new id, the old record deleted, the old cookie no longer works', async () => {
    const { body, cookie } = await call('POST', '/kv/regenerate', state.first.cookie)
    assert.ok(cookie, 'no new cookie after regenerate')
    assert.notEqual(body.id, state.first.id)
    state.second = { id: body.id, cookie: cookie.pair }
    assertStored(state.first.id, false, 'the old record is still in the store files')
    assertStored(state.second.id, true, 'no record for the new id in the store files')
    const me = await call('GET', '/kv/me', state.second.cookie)
    assert.deepEqual(me.body, { id: state.second.id, isNew: false, user: 'alice', views: 1 })
    const old = await call('GET', '/kv/me', state.first.cookie)
    assert.equal(old.body.isNew, true)
    assert.equal(old.body.user, null)
  })
  await step('kv destroy: Max-Age=0, the record deleted, the cookie no longer works', async () => {
    const { cookie } = await call('POST', '/kv/logout', state.second.cookie)
    assert.ok(cookie?.line.includes('Max-Age=0'), `not an expiring cookie: ${cookie?.line}`)
    assertStored(state.second.id, false, 'the record is still in the store files')
    const { body } = await call('GET', '/kv/me', state.second.cookie)
    assert.equal(body.isNew, true)
    assert.equal(body.user, null)
  })
  await step('kv: tampered signature or id, a fresh session, no error', async () => {
    const { cookie } = await call('POST', '/kv/login?user=mallory')
    for (const forged of [tamperSignature(cookie.pair), tamperId(cookie.pair)]) {
      const { body } = await call('GET', '/kv/me', forged)
      assert.equal(body.isNew, true, forged)
      assert.equal(body.user, null, forged)
    }
  })
  return done()
}
