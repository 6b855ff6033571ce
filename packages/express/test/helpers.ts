import type { AddressInfo } from 'node:net'
import type { Express } from 'express'

/** A running app and a fetch bound to it. */
export interface Served {
  origin: string
  request(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

/** Serves an Express app with `app.listen(0)` on loopback. */
export async function serve(app: Express): Promise<Served> {
  const server = await new Promise<ReturnType<Express['listen']>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    request: (path, init) => fetch(origin + path, { redirect: 'manual', ...init }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** A tiny cookie jar: remembers `Set-Cookie` pairs and sends them back. */
export class Jar {
  readonly cookies: Map<string, string> = new Map()

  constructor(readonly served: Served) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.header())
    const response = await this.served.request(path, { ...init, headers })
    for (const value of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = value.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(eq + 1))
    }
    return response
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)
  }
}

/** The Set-Cookie header of `name` on a response, if any. */
export function setCookieOf(response: Response, name = 'connect.sid'): string | undefined {
  return response.headers.getSetCookie().find((v) => v.startsWith(`${name}=`))
}

export const SECRET = 'keyboard cat'
