import { createConnection, createServer } from 'node:net'

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('[sess/testing] no free port'))))
    })
  })
}

/**
 * Sends one raw RESP `PING` and resolves to the first reply line (`+PONG`, or an error such as `-NOAUTH ...`), so
 * the launcher needs no Redis client. Rejects when nothing answers within `timeoutMs`.
 */
export function ping(host: string, port: number, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port })
    let reply = ''
    const done = (error: Error | undefined, line?: string): void => {
      socket.destroy()
      if (error) reject(error)
      else resolve(line ?? '')
    }
    socket.setTimeout(timeoutMs, () => done(new Error(`no reply within ${timeoutMs} ms`)))
    socket.once('error', (error) => done(error))
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      const end = reply.indexOf('\r\n')
      if (end >= 0) done(undefined, reply.slice(0, end))
    })
    socket.once('close', () => done(new Error('connection closed before a reply')))
  })
}
