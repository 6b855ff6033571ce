// The login demo in real Chromium (Debian's, driven by playwright-core), on the memory store and on Redis: two
// browser contexts are two devices. With CI=true a missing Chromium or redis-server fails the file.
import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RedisServer } from '@sess/testing'
import { integrationGate, redisUnavailableReason, startRedisServer } from '@sess/testing'
import type { Express } from 'express'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import type { RedisClientType } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLoginApp } from './app.js'
import { connectableRedis, createRedisLoginApp } from './redis.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? 'chromium'
// The flags that run Debian's Chromium headless in a container, without background traffic (ENVIRONMENT.md).
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const chromiumMissing =
  spawnSync('sh', ['-c', `command -v ${CHROMIUM}`], { stdio: 'ignore' }).status === 0
    ? undefined
    : `${CHROMIUM} is not on PATH (apt-get install chromium, or set CHROMIUM_PATH)`
// The Redis runs stop and restart their own server, so an external REDIS_URL is not used here.
const localEnv = { ...process.env, REDIS_URL: undefined }
const browserGate = integrationGate('Chromium', chromiumMissing)
const redisGate = integrationGate('Redis', chromiumMissing ?? redisUnavailableReason(localEnv), localEnv)

let browser: Browser | undefined
beforeAll(async () => {
  if (chromiumMissing) return
  const executablePath = spawnSync('sh', ['-c', `command -v ${CHROMIUM}`], { encoding: 'utf8' }).stdout.trim()
  browser = await chromium.launch({ executablePath, args: FLAGS, headless: true, timeout: 60_000 })
}, 90_000)
afterAll(async () => {
  await browser?.close()
})

/** The app on a free loopback port. */
async function listen(app: Express): Promise<{ origin: string; close(): void }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

/** A device: its own browser context (cookie jar), named through its user agent. */
async function openDevice(name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (browser as Browser).newContext({ userAgent: `sess-test ${name}` })
  return { context, page: await context.newPage() }
}

async function signIn(page: Page, origin: string, username = 'ada', password = 'lovelace'): Promise<void> {
  await page.goto(`${origin}/login`)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await Promise.all([page.waitForURL(`${origin}/`), page.click('#sign-in')])
}

/** The shared browser scenario: sign in on two devices, check the cookie, sign out everywhere else, sign out. */
async function twoDevices(origin: string): Promise<void> {
  const laptop = await openDevice('laptop')
  const phone = await openDevice('phone')
  try {
    await signIn(laptop.page, origin)
    expect(await laptop.page.textContent('.flash')).toBe('Signed in as Ada.')
    expect(await laptop.page.textContent('#who')).toBe('Ada')

    // The session cookie as the browser stored it: HttpOnly (hidden from scripts), SameSite=Lax, Path=/, 7 days.
    const [sid, ...others] = (await laptop.context.cookies(origin)).filter((c) => c.name === 'sid')
    expect(others).toHaveLength(0)
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false })
    expect((sid?.expires ?? 0) * 1000).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600 * 1000)
    expect(await laptop.page.evaluate(() => document.cookie)).not.toContain('sid=')

    await signIn(phone.page, origin)
    await laptop.page.goto(`${origin}/devices`)
    const rows = laptop.page.locator('tr.device')
    expect(await rows.count()).toBe(2)
    expect(await laptop.page.textContent('tr.device.current')).toContain('sess-test laptop')
    expect(await laptop.page.textContent('tr.device:not(.current)')).toContain('sess-test phone')

    await Promise.all([laptop.page.waitForURL(`${origin}/devices`), laptop.page.click('#sign-out-others')])
    expect(await laptop.page.textContent('.flash')).toBe('Signed out 1 other device.')
    expect(await rows.count()).toBe(1)

    // The phone sees it on its next request: signed out, and /devices sends it to the sign-in page.
    await phone.page.goto(`${origin}/`)
    expect(await phone.page.locator('#welcome').count()).toBe(0)
    await phone.page.goto(`${origin}/devices`)
    expect(phone.page.url()).toBe(`${origin}/login`)
    expect(await phone.page.textContent('.flash')).toBe('Please sign in first.')

    // A form whose token does not belong to this session is refused.
    await phone.page.fill('input[name=username]', 'ada')
    await phone.page.fill('input[name=password]', 'lovelace')
    await phone.page.evaluate(() => {
      const field = document.querySelector<HTMLInputElement>('input[name=_csrf]')
      if (field) field.value = 'forged'
    })
    const refused = await Promise.all([phone.page.waitForResponse(`${origin}/login`), phone.page.click('#sign-in')])
    expect(refused[0].status()).toBe(403)

    // Sign out: a new session id, and the laptop is signed out too.
    const before = sid?.value
    await Promise.all([laptop.page.waitForURL(`${origin}/login`), laptop.page.click('#sign-out')])
    expect(await laptop.page.textContent('.flash')).toBe('You are signed out.')
    const after = (await laptop.context.cookies(origin)).find((c) => c.name === 'sid')?.value
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    await laptop.page.goto(`${origin}/`)
    expect(await laptop.page.locator('#welcome').count()).toBe(0)
  } finally {
    await laptop.context.close()
    await phone.context.close()
  }
}

describe.skipIf(browserGate.skip)(browserGate.title('login demo in Chromium, memory store'), () => {
  let app: { origin: string; close(): void }
  beforeAll(async () => {
    app = await listen(createLoginApp({ secret: 'login-demo-browser-test-secret-0123456789' }))
  })
  afterAll(() => app?.close())

  it('signs in two devices, signs out everywhere else, and signs out', { timeout: 60_000 }, async () => {
    await twoDevices(app.origin)
  })
})

describe.skipIf(redisGate.skip)(redisGate.title('login demo in Chromium, Redis store'), () => {
  let redis: RedisServer | undefined
  let restarted: ChildProcess | undefined
  let client: RedisClientType
  let app: { origin: string; close(): void }
  const log: string[] = []

  beforeAll(async () => {
    redis = await startRedisServer({ env: localEnv })
    client = connectableRedis(redis.url, (line) => log.push(line))
    await client.connect()
    app = await listen(createRedisLoginApp(client))
  })
  afterAll(async () => {
    app?.close()
    await client?.quit().catch(() => {})
    if (restarted && restarted.exitCode === null) {
      restarted.kill('SIGTERM')
      await once(restarted, 'exit')
    }
    await redis?.stop()
  })

  it('signs in two devices, signs out everywhere else, and signs out', { timeout: 60_000 }, async () => {
    await twoDevices(app.origin)
    expect((await client.keys('login-demo:*')).length).toBeGreaterThan(0)
  })

  it('shows a clear error page while Redis is down, then recovers', { timeout: 60_000 }, async () => {
    const { context, page } = await openDevice('laptop')
    try {
      await signIn(page, app.origin)
      const port = (redis as RedisServer).port
      await (redis as RedisServer).stop()

      const down = await retry(async () => {
        const response = await page.goto(`${app.origin}/`)
        return response?.status() === 503 ? response : undefined
      }, 10_000)
      expect(down.headers()['retry-after']).toBe('5')
      expect(await page.textContent('h1')).toBe('Sessions are unavailable')

      restarted = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      )
      await retry(async () => ((await page.goto(`${app.origin}/`))?.status() === 200 ? true : undefined), 20_000)
      // The old server kept nothing on disk: the visitor is signed out, and signing in works again.
      expect(await page.locator('#welcome').count()).toBe(0)
      await signIn(page, app.origin)
      expect(await page.textContent('#who')).toBe('Ada')
      expect(log).toContain('redis: reconnected')
    } finally {
      await context.close()
    }
  })
})

async function retry<T>(attempt: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await attempt().catch(() => undefined)
    if (result !== undefined) return result
    if (Date.now() > deadline) throw new Error(`no success within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
