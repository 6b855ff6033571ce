// Cloudflare Workers entry of the runtime matrix: the secret comes from the `SESSION_SECRET` binding, per request.
import { createApp } from './app.js'

const app = createApp({
  runtime: `workerd ${navigator.userAgent}`,
  secret: (c) => (c.env as { SESSION_SECRET: string }).SESSION_SECRET,
})

export default { fetch: app.fetch }
