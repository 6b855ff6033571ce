import { setTimeout as sleep } from 'node:timers/promises'
import type { SessionManager } from '@sess/core'
import { isSessionError } from '@sess/core'
import type { JsonApp } from '@sess/testing'
import { serveJsonApp } from '@sess/testing'

/** A tiny app on node:http + @sess/core, as an adapter would wire it: load, handle, commit, append Set-Cookie. */
export type TestApp = JsonApp

/**
 * Routes: `/` reads; `/set?k=v&...` sets keys; `/delay?ms=` waits between load and commit (so concurrent requests
 * overlap); `/login?user=` binds; `/destroy`; `/logout-everywhere?user=`. Store errors go to the error path: 503
 * with the error's code; a strict-mode conflict is 409.
 */
export async function startApp(manager: SessionManager): Promise<TestApp> {
  return serveJsonApp(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app')
    try {
      if (url.pathname === '/logout-everywhere') {
        const except = url.searchParams.get('except') ?? undefined
        const count = await manager.destroyUserSessions(url.searchParams.get('user')!, { except })
        return void res.end(JSON.stringify({ count }))
      }
      const handle = await manager.load({ cookie: req.headers.cookie })
      const session = handle.session
      const isNew = session.isNew
      const delay = Number(url.searchParams.get('ms') ?? 0)
      if (delay > 0) await sleep(delay)
      if (url.pathname === '/set' || url.pathname === '/delay') {
        for (const [key, value] of url.searchParams) if (key !== 'ms') session.set(key as never, value as never)
      }
      if (url.pathname === '/login') session.setUser(url.searchParams.get('user'))
      if (url.pathname === '/destroy') await session.destroy()
      const { setCookie } = await handle.commit()
      for (const value of setCookie) res.appendHeader('set-cookie', value)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ id: session.id, isNew, data: session.toJSON() }))
    } catch (error) {
      const code = isSessionError(error) ? error.code : 'UNEXPECTED'
      res.statusCode = code === 'SESSION_CONFLICT' ? 409 : 503
      res.end(JSON.stringify({ code }))
    }
  })
}
