// The shared store conformance suite and the SQLite-specific tests on Cloudflare D1, inside workerd: the store, the
// suite and the D1 binding all run in the Workers runtime (the Workers Vitest integration, through Miniflare). Run by
// `vitest --config vitest.workerd.config.ts` under Node 22+ from the runtime matrix (scripts/runtimes/run.mjs).
import { env } from 'cloudflare:workers'
import type { D1DatabaseLike } from '../../src/index.js'
import { describeSQLiteConformance } from '../helpers/conformance.js'

const db = (env as { DB: D1DatabaseLike }).DB
describeSQLiteConformance('sqlite, Cloudflare D1 on workerd', () => db, 'd1')
