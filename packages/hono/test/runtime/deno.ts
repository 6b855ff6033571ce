// Deno entry of the runtime matrix: Deno.serve on a free loopback port; `/kv` in Deno KV (unstorage's deno-kv
// driver, `Deno.openKv(SESS_KV_PATH)`, which needs --unstable-kv).
import { createStorage } from 'unstorage'
import denoKVDriver from 'unstorage/drivers/deno-kv'
import { createApp } from './app.js'
import { kvOver } from './kv.js'

declare const Deno: {
  version: { deno: string }
  env: { get(name: string): string | undefined }
  serve(
    options: { hostname: string; port: number; onListen(addr: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown
}

const path = Deno.env.get('SESS_KV_PATH')
const kv = path ? { kv: kvOver(createStorage({ driver: denoKVDriver({ path }) })) } : {}
const app = createApp({ runtime: `deno ${Deno.version.deno}`, ...kv })
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, app.fetch)
