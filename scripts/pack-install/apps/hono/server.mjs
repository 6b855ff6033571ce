// The @sess/hono README's usage on Node, with sessions in unstorage (memory driver) through @sess/store-unstorage.
import { serve } from '@hono/node-server'
import { session } from '@sess/hono'
import { unstorageStore } from '@sess/store-unstorage'
import { Hono } from 'hono'
import { createStorage } from 'unstorage'

const app = new Hono()
app.use(session({ secret: process.env.SESSION_SECRET, store: unstorageStore({ storage: createStorage() }) }))
app.get('/', (c) => {
  const s = c.get('session')
  s.set('views', (s.get('views') ?? 0) + 1)
  return c.text(`views: ${s.get('views')}`)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`listening ${info.port}`))
