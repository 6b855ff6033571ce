// The @sess/fastify README's usage, as plain ESM JavaScript (default MemoryStore; `secure: 'auto'` over plain HTTP).
import fastifySession from '@sess/fastify'
import Fastify from 'fastify'

const app = Fastify()
await app.register(fastifySession, { secret: process.env.SESSION_SECRET, cookie: { secure: 'auto' } })
app.get('/', async (request, reply) => {
  request.session.views = (request.session.views ?? 0) + 1
  return reply.type('text/plain').send(`views: ${request.session.views}`)
})
const address = await app.listen({ port: 0, host: '127.0.0.1' })
console.log(`listening ${new URL(address).port}`)
