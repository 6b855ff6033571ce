// Node entry of the runtime matrix: @hono/node-server on a free loopback port; `/kv` over unstorage's fs driver in
// SESS_KV_DIR.
import { serve } from '@hono/node-server'
import { createStorage } from 'unstorage'
import fsLiteDriver from 'unstorage/drivers/fs-lite'
import { createApp } from './app.js'
import { kvOver } from './kv.js'

const dir = process.env.SESS_KV_DIR
const kv = dir ? { kv: kvOver(createStorage({ driver: fsLiteDriver({ base: dir }) })) } : {}
const app = createApp({ runtime: `node ${process.version}`, ...kv })
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening ${info.port}`))
