// Deno entry of the runtime matrix: Deno.serve on a free loopback port.
import { createApp } from './app.js'

declare const Deno: {
  version: { deno: string }
  serve(
    options: { hostname: string; port: number; onListen(addr: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown
}

const app = createApp({ runtime: `deno ${Deno.version.deno}` })
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, app.fetch)
