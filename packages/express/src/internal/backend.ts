import type { Store as CoreStore } from '@sess/core'
import { MemoryStore, memoryBackend } from './memory-store.js'
import { warnOnce } from './options.js'
import { fromExpressStore, isExpressStore } from './express-store.js'
import type { RecordShape } from './legacy-record.js'
import type { ExpressStoreLike } from './stores.js'

/** The store of one middleware, as the app gave it and as core calls it. */
export interface Backend {
  /** What the app passed (`req.sessionStore`). */
  readonly given: CoreStore | ExpressStoreLike
  /** The core store over it. */
  readonly store: CoreStore
  /** A store written for express-session (the MemoryStore included): its own errors are handed on. */
  readonly legacy: boolean
  /** False while the store reports itself disconnected (express-session then serves requests without a session). */
  ready: boolean
}

/** The core store for the `store` option: sess stores as they are, express-session stores adapted. */
export function backendOf(given: CoreStore | ExpressStoreLike | undefined, shape: RecordShape): Backend {
  const store = given ?? new MemoryStore()
  if (process.env.NODE_ENV === 'production' && store instanceof MemoryStore) {
    warnOnce(
      'memory',
      '[sess] [express] The MemoryStore keeps sessions in this process only: they are lost on restart and not shared between processes (cluster, PM2, several servers). Use a store such as @sess/store-redis in production.',
    )
  }
  const backend: Backend = {
    given: store,
    store:
      memoryBackend(store, shape) ?? (isExpressStore(store) ? fromExpressStore(store, shape) : (store as CoreStore)),
    legacy: store instanceof MemoryStore || isExpressStore(store),
    ready: true,
  }
  const events = store as { on?: (event: string, listener: () => void) => unknown }
  if (typeof events.on === 'function') {
    events.on.call(store, 'disconnect', () => {
      backend.ready = false
    })
    events.on.call(store, 'connect', () => {
      backend.ready = true
    })
  }
  return backend
}
