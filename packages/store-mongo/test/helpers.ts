import { once } from 'node:events'
import type { Server, Socket } from 'node:net'
import { connect, createServer } from 'node:net'
import { CookieSigner, DEFAULT_COOKIE_NAME } from '@sess/core'
import type { CorruptionKind } from '@sess/testing'

export const SECRET = 'a-test-secret-that-is-long-enough-for-sess'

/** The Cookie header a browser sends for session `id`, signed like the core signs it. */
export async function cookieFor(id: string, secret: string = SECRET): Promise<string> {
  return `${DEFAULT_COOKIE_NAME}=${encodeURIComponent(await new CookieSigner([secret], 's:').sign(id))}`
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/** A loopback TCP server, optionally forwarding to `target`; `stop()` drops every connection, `start()` listens again. */
export interface TcpServer {
  readonly port: number
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * Listens on a free loopback port. Without `target` it is a black hole: it accepts connections and never answers
 * (a hung server). With `target` it forwards every connection there (a server that can be taken away and brought back).
 */
export async function tcpServer(target?: { host: string; port: number }): Promise<TcpServer> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const start = async (): Promise<void> => {
    server = createServer((socket) => {
      track(socket)
      if (target === undefined) return
      const upstream = connect(target.port, target.host)
      track(upstream)
      socket.pipe(upstream).pipe(socket)
      upstream.on('close', () => socket.destroy())
      socket.on('close', () => upstream.destroy())
    })
    server.listen(port, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as { port: number }).port
  }
  await start()
  return {
    get port() {
      return port
    },
    start,
    async stop() {
      const closing = server === undefined ? undefined : once(server, 'close')
      server?.close()
      for (const socket of sockets) socket.destroy()
      await closing
      server = undefined
    },
  }
}

/** A corrupt document of each kind, as another app, a hand edit or a half-done migration leaves them. */
export function corruptDocument(kind: CorruptionKind, now: number, ttl: number): Record<string, unknown> {
  const expiresAt = new Date(now + ttl * 1000)
  switch (kind) {
    case 'undecodable':
      // connect-mongo's layout: the session as a JSON string, and other field names.
      return { session: '{"cookie":{"originalMaxAge":1000},"views":1}', expires: expiresAt }
    case 'wrong-shape':
      return { data: [1, 2], expiresAt, createdAt: new Date(now), version: 1 }
    case 'null-fields':
      return { data: null, expiresAt: null, createdAt: null, version: null }
  }
}
