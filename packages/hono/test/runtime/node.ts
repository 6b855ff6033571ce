// Node entry of the runtime matrix: @hono/node-server on a free loopback port.
import { serve } from '@hono/node-server'
import { createApp } from './app.js'

const app = createApp({ runtime: `node ${process.version}` })
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening ${info.port}`))
