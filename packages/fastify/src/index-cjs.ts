/** @module @sess/fastify (CommonJS) — `require('@sess/fastify')` is the plugin, as `require('@fastify/session')` is. */
import { MemoryStore } from './memory-store.js'
import { fastifySession as plugin } from './plugin.js'

/** The plugin with @fastify/session's CommonJS members: `.default`, `.fastifySession`, `.MemoryStore`, `.Store`. */
type FastifySessionModule = typeof plugin & {
  default: FastifySessionModule
  fastifySession: FastifySessionModule
  sessionPlugin: FastifySessionModule
  MemoryStore: typeof MemoryStore
  Store: typeof MemoryStore
}

// fastify-plugin already set `.default` and `.fastifySession` (from the plugin's name) to the plugin itself.
const fastifySession: FastifySessionModule = Object.assign(plugin, {
  sessionPlugin: plugin,
  MemoryStore,
  Store: MemoryStore,
}) as FastifySessionModule

// The only export, so the CommonJS build emits `module.exports = fastifySession` (tsdown's cjsDefault).
// biome-ignore lint/style/noDefaultExport: `module.exports = fastifySession` is @fastify/session's CommonJS API.
export default fastifySession
