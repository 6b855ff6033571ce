// Bun entry of the runtime matrix: Bun.serve on a free loopback port.
import { createApp } from './app.js'

declare const Bun: {
  version: string
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Response | Promise<Response> }): {
    port: number
  }
}

const app = createApp({ runtime: `bun ${Bun.version}` })
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch })
console.log(`listening ${server.port}`)
