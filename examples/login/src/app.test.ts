import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLoginApp } from './app.js'

let server: Server
let origin: string
beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = createLoginApp({ secret: 'login-demo-unit-test-secret-0123456789' }).listen(0, '127.0.0.1', () =>
      resolve(s),
    )
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

/** A cookie jar for the `sid` cookie and a page fetcher, like one browser. */
function device(userAgent = 'test-agent') {
  let sid = ''
  const request = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(origin + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        'user-agent': userAgent,
        ...(sid && { cookie: sid }),
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form && { body: new URLSearchParams(form).toString() }),
    })
    for (const value of response.headers.getSetCookie()) {
      const pair = value.split(';')[0] as string
      if (pair.startsWith('sid=')) sid = /Max-Age=0/i.test(value) ? '' : pair
    }
    return { status: response.status, location: response.headers.get('location'), html: await response.text() }
  }
  const csrf = async (path: string) => /name="_csrf" value="([^"]+)"/.exec((await request(path)).html)?.[1] ?? ''
  return {
    request,
    csrf,
    cookie: () => sid,
    async signIn(username = 'ada', password = 'lovelace') {
      return request('/login', { _csrf: await csrf('/login'), username, password })
    },
  }
}

describe('login demo', () => {
  it('refuses a form without the session-bound CSRF token', async () => {
    const a = device()
    await a.request('/login')
    const response = await a.request('/login', { username: 'ada', password: 'lovelace' })
    expect(response.status).toBe(403)
    expect(response.html).toContain('Please try again')
    const other = device()
    const stolen = await other.csrf('/login')
    expect((await a.request('/login', { _csrf: stolen, username: 'ada', password: 'lovelace' })).status).toBe(403)
  })

  it('signs in with a new session id, and says so once', async () => {
    const a = device()
    await a.request('/login')
    const before = a.cookie()
    const response = await a.signIn()
    expect(response).toMatchObject({ status: 303, location: '/' })
    expect(a.cookie()).not.toBe(before)
    const home = await a.request('/')
    expect(home.html).toContain('Signed in as Ada.')
    expect(home.html).toContain('id="welcome"')
    expect((await a.request('/')).html).not.toContain('Signed in as Ada.')
  })

  it('rejects a wrong password with a flash message', async () => {
    const a = device()
    expect(await a.signIn('ada', 'wrong')).toMatchObject({ status: 303, location: '/login' })
    expect((await a.request('/login')).html).toContain('Unknown username or wrong password.')
  })

  it('lists devices without session ids and signs out one device by its handle', async () => {
    const phone = device('phone-browser')
    const laptop = device('laptop-browser')
    await phone.signIn()
    await laptop.signIn()
    const page = await laptop.request('/devices')
    expect(page.html).toContain('phone-browser')
    expect(page.html).toContain('laptop-browser <strong>(this device)</strong>')
    // Created, last seen and expiry, as sess lists them: three UTC times per row.
    expect(page.html).toContain('<th>Created</th><th>Last seen</th><th>Expires</th>')
    const listed = page.html.match(/<tr class="device[\s\S]*?<\/tr>/g) ?? []
    expect(listed.length).toBeGreaterThanOrEqual(2)
    for (const row of listed) expect(row.match(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g)).toHaveLength(3)
    for (const cookie of [phone.cookie(), laptop.cookie()]) {
      const id = decodeURIComponent(cookie.slice('sid='.length)).replace(/^s:/, '').split('.')[0] as string
      expect(page.html).not.toContain(id)
    }
    const rows = [...page.html.matchAll(/<tr class="device( current)?">[\s\S]*?name="device" value="([^"]+)"/g)]
    const phoneHandle = rows.find((row) => row[1] === undefined)?.[2] as string
    const csrf = await laptop.csrf('/devices')

    // Another user's session cannot be signed out with a handle that is not theirs.
    const grace = device()
    await grace.signIn('grace', 'hopper')
    expect(
      (await grace.request('/devices/sign-out', { _csrf: await grace.csrf('/devices'), device: phoneHandle })).status,
    ).toBe(303)
    expect((await phone.request('/')).html).toContain('id="welcome"')

    await laptop.request('/devices/sign-out', { _csrf: csrf, device: phoneHandle })
    expect((await laptop.request('/devices')).html).toContain('That device is signed out.')
    expect((await phone.request('/')).html).not.toContain('id="welcome"')
    expect((await laptop.request('/')).html).toContain('id="welcome"')
  })

  it('sends signed-out visitors of /devices to the sign-in page', async () => {
    const a = device()
    expect(await a.request('/devices')).toMatchObject({ status: 303, location: '/login' })
    expect((await a.request('/login')).html).toContain('Please sign in first.')
  })
})
