// The @sess/fastify README's usage, as plain ESM JavaScript.
import { sessionPlugin } from '@sess/fastify'
import { memoryStore } from '@sess/store-memory'
import Fastify from 'fastify'

const app = Fastify()
await app.register(sessionPlugin, { secret: process.env.SESSION_SECRET, store: memoryStore() })
app.get('/', async (request, reply) => {
  request.session.views = (request.session.views ?? 0) + 1
  return reply.type('text/plain').send(`views: ${request.session.views}`)
})
const address = await app.listen({ port: 0, host: '127.0.0.1' })
console.log(`listening ${new URL(address).port}`)
