/** @module @sess/store-unstorage — @sess/core sessions in any unstorage driver (KV stores on the edge and more). */

export { unstorageStore } from './unstorage-store.js'
export type { UnstorageStore, UnstorageStoreOptions } from './unstorage-store.js'
