/** @module @sess/store-postgres — PostgreSQL session store for @sess/core: pg or postgres.js, real columns, jsonb patches. */

// Store
export { postgresStore } from './postgres-store.js'
export type { PostgresStore, PostgresStoreOptions, PostgresUserSession, SweepOptions } from './postgres-store.js'
export type { DeviceFields } from './device.js'

// Schema, for apps that run their own migrations
export { DEFAULT_TABLE, SCHEMA_VERSION, schemaSQL } from './schema.js'
export type { TableName } from './schema.js'

// Clients
export type { PgClientLike, PostgresClientLike, PostgresJsLike } from './client.js'
