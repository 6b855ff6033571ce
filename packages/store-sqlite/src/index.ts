/** @module @sess/store-sqlite — SQLite session store for @sess/core: better-sqlite3, bun:sqlite, Cloudflare D1. */

// Store
export { sqliteStore } from './sqlite-store.js'
export type { SQLiteStore, SQLiteUserSession } from './sqlite-store.js'
export type { SQLiteStoreOptions, SweepOptions } from './options.js'
export type { DeviceFields } from './internal/row.js'

// Schema, for apps that run their own migrations
export { DEFAULT_TABLE, SCHEMA_VERSION, schemaSQL } from './schema.js'

// Clients (SQLiteClientLike is any of them): better-sqlite3 and bun:sqlite in the process, then Cloudflare D1
export type { SQLiteClientLike } from './client.js'
export type { SQLiteDatabaseLike, SQLiteStatementLike } from './client.js'
export type { D1DatabaseLike, D1PreparedStatementLike } from './client.js'
