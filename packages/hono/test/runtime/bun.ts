// Bun entry of the runtime matrix: Bun.serve on a free loopback port; `/kv` over unstorage's fs driver in SESS_KV_DIR.
import { createStorage } from 'unstorage'
import fsLiteDriver from 'unstorage/drivers/fs-lite'
import { createApp } from './app.js'
import { kvOver } from './kv.js'

declare const Bun: {
  version: string
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Response | Promise<Response> }): {
    port: number
  }
}

const dir = process.env.SESS_KV_DIR
const kv = dir ? { kv: kvOver(createStorage({ driver: fsLiteDriver({ base: dir }) })) } : {}
const app = createApp({ runtime: `bun ${Bun.version}`, ...kv })
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch })
console.log(`listening ${server.port}`)
