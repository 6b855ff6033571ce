/** @module @sess/store-mongo — MongoDB session store for @sess/core: TTL index, field-level patches, per-user revocation. */

// Store
export { mongoStore } from './mongo-store.js'
export type { MongoStore, MongoStoreCollectionOptions, MongoStoreDbOptions, MongoStoreOptions } from './mongo-store.js'

// Document shape
export type { SessionDocument } from './internal/document.js'
