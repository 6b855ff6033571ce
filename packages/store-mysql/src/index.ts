/** @module @sess/store-mysql — MySQL and MariaDB session store for @sess/core over mysql2: real columns, JSON patches. */

// Store
export { mysqlStore } from './mysql-store.js'
export type { MySQLStore, MySQLUserSession } from './mysql-store.js'
export type { MySQLStoreOptions, SweepOptions } from './options.js'
export type { DeviceFields } from './internal/row.js'

// Schema, for apps that run their own migrations
export { DEFAULT_TABLE, SCHEMA_VERSION, schemaSQL } from './schema.js'
export type { TableName } from './schema.js'

// Client
export type { MySQLClientLike } from './client.js'
