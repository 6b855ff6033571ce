// The Worker's entry (wrangler.jsonc `main`), what server.ts is in the Node examples: Workers never listen, they
// export a fetch handler. It builds the session store over the SESSIONS KV namespace, once per isolate.
import { unstorageStore } from '@sess/store-unstorage'
import { env } from 'cloudflare:workers'
import { createStorage } from 'unstorage'
import cloudflareKVBindingDriver from 'unstorage/drivers/cloudflare-kv-binding'
import { createApp } from './app.js'

declare global {
  namespace Cloudflare {
    interface Env {
      SESSIONS: KVNamespace
      SESSION_SECRET: string
    }
  }
}

// `cloudflare:workers` exposes the bindings at module scope, so the store is built once, not per request. Workers
// KV is eventually consistent: a logout can take up to 60 s to be seen in other locations (see the README).
const storage = createStorage({ driver: cloudflareKVBindingDriver({ binding: env.SESSIONS }) })
const app = createApp({ store: unstorageStore({ storage }) })

export default app
