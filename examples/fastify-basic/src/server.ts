import { buildApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const secret = process.env.SESSION_SECRET
if (!secret && process.env.NODE_ENV === 'production') throw new Error('SESSION_SECRET is required in production')

const app = await buildApp({ secret: secret ?? 'fastify-basic-dev-only-secret-change-me' })
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' })
console.log(`fastify-basic: http://localhost:${port}/ (also GET /me, POST /login?user=ada, POST /logout)`)

const stop = (): void => void app.close()
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
