/** @module @sess/store-memory — the bounded, sweeping in-memory session store for @sess/core, on any runtime. */
export { memoryStore } from './memory-store.js'
export type { MemoryStore, MemoryStoreOptions } from './memory-store.js'
