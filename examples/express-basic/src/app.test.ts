import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app } from './app.js'

let server: Server
let origin: string
beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

/** A browser's cookie handling, just enough for one session cookie. */
function browser(): (path: string) => Promise<{ text: string; setCookie: string[] }> {
  let cookie = ''
  return async (path) => {
    const response = await fetch(origin + path, { headers: cookie ? { cookie } : {} })
    const setCookie = response.headers.getSetCookie()
    for (const value of setCookie) {
      const pair = value.split(';')[0] as string
      if (pair.startsWith('connect.sid=')) cookie = /Max-Age=0/.test(value) || pair === 'connect.sid=' ? '' : pair
    }
    return { text: await response.text(), setCookie }
  }
}

describe('express-basic', () => {
  it('counts views per session', async () => {
    const visit = browser()
    expect((await visit('/')).text).toBe('Views: 1')
    expect((await visit('/')).text).toBe('Views: 2')
    expect((await browser()('/')).text).toBe('Views: 1')
  })

  it('sets a session cookie like express-session: connect.sid, HttpOnly, 60 s', async () => {
    const { setCookie } = await browser()('/')
    expect(setCookie[0]).toMatch(/^connect\.sid=s%3A[\w-]+\.[\w%]+; Max-Age=60; Path=\/; Expires=.+; HttpOnly/)
  })

  it('reads back what /set stored', async () => {
    const visit = browser()
    expect((await visit('/get')).text).toBe('User: none')
    expect((await visit('/set?user=Ada')).text).toBe('Session data set')
    expect((await visit('/get')).text).toBe('User: Ada')
  })

  it('/destroy ends the session and clears the cookie', async () => {
    const visit = browser()
    await visit('/set?user=Ada')
    const destroyed = await visit('/destroy')
    expect(destroyed.text).toBe('Session destroyed')
    expect(destroyed.setCookie.every((c) => c.startsWith('connect.sid=;'))).toBe(true)
    expect((await visit('/get')).text).toBe('User: none')
  })
})
