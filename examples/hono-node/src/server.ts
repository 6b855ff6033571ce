import { serve } from '@hono/node-server'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const secret = process.env.SESSION_SECRET
if (!secret && process.env.NODE_ENV === 'production') throw new Error('SESSION_SECRET is required in production')

const app = createApp({ secret: secret ?? 'hono-node-dev-only-secret-change-me-please' })
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, () => {
  console.log(`hono-node: http://localhost:${port}/ (also GET /me, POST /login?user=ada, POST /logout)`)
})

const stop = (): void => void server.close()
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
