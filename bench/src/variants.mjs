// The variants under test: metadata only (the parent process never imports a framework). Each variant runs in its
// own server process (server.mjs), built by apps/<framework>.mjs from its id.

/** @typedef {'bare' | 'peer' | 'sess' | 'floor'} Kind */
/**
 * @typedef {object} Variant
 * @property {string} id            unique, also the key in apps/<framework>.mjs
 * @property {'express' | 'fastify' | 'hono'} framework
 * @property {string} label         as printed in the tables
 * @property {Kind} kind
 * @property {'none' | 'memory' | 'redis' | 'postgres' | 'cookie'} store  where session state lives
 * @property {boolean} [stateless]  data lives in the cookie: a write changes the cookie, not a server record
 * @property {boolean} [destroy]    has a /destroy route (Redis command / PostgreSQL statement count of a logout)
 */

/** @type {Variant[]} */
export const VARIANTS = [
  { id: 'express-bare', framework: 'express', label: 'express (bare)', kind: 'bare', store: 'none' },
  // The bare routes behind a middleware that only does what @sess/express does first on V8 before 13 (Node 20-23;
  // since 2026-12-03, its shape.ts): req and res put into V8's dictionary mode, where they share a hidden class. A
  // bare route by kind (no session, no cookie); sess's own cost is its figure minus this one's, what an app sees its
  // figure minus the bare route's.
  {
    id: 'express-floor-dict',
    framework: 'express',
    label: 'express (bare, req/res in dictionary mode)',
    kind: 'bare',
    store: 'none',
  },
  {
    id: 'express-session-memory',
    framework: 'express',
    label: 'express-session + MemoryStore',
    kind: 'peer',
    store: 'memory',
  },
  {
    id: 'express-session-redis',
    framework: 'express',
    label: 'express-session + connect-redis',
    kind: 'peer',
    store: 'redis',
    destroy: true,
  },
  {
    id: 'express-sess-memory',
    framework: 'express',
    label: 'sess + memory',
    kind: 'sess',
    store: 'memory',
    destroy: true,
  },
  {
    id: 'express-sess-redis',
    framework: 'express',
    label: 'sess + redis',
    kind: 'sess',
    store: 'redis',
    destroy: true,
  },
  {
    id: 'express-session-pg',
    framework: 'express',
    label: 'express-session + connect-pg-simple',
    kind: 'peer',
    store: 'postgres',
    destroy: true,
  },
  {
    id: 'express-sess-pg',
    framework: 'express',
    label: 'sess + postgres',
    kind: 'sess',
    store: 'postgres',
    destroy: true,
  },

  { id: 'fastify-bare', framework: 'fastify', label: 'fastify (bare)', kind: 'bare', store: 'none' },
  {
    id: 'fastify-session-rolling',
    framework: 'fastify',
    label: '@fastify/session (rolling: true)',
    kind: 'peer',
    store: 'memory',
  },
  {
    id: 'fastify-session-norolling',
    framework: 'fastify',
    label: '@fastify/session (rolling: false)',
    kind: 'peer',
    store: 'memory',
  },
  {
    id: 'fastify-session-redis',
    framework: 'fastify',
    label: '@fastify/session + connect-redis',
    kind: 'peer',
    store: 'redis',
    destroy: true,
  },
  {
    id: 'fastify-sess-memory',
    framework: 'fastify',
    label: 'sess + memory',
    kind: 'sess',
    store: 'memory',
    destroy: true,
  },
  {
    id: 'fastify-sess-redis',
    framework: 'fastify',
    label: 'sess + redis',
    kind: 'sess',
    store: 'redis',
    destroy: true,
  },

  { id: 'hono-bare', framework: 'hono', label: 'hono (bare)', kind: 'bare', store: 'none' },
  {
    id: 'hono-sessions-memory',
    framework: 'hono',
    label: 'hono-sessions + MemoryStore',
    kind: 'peer',
    store: 'memory',
  },
  {
    id: 'hono-session-jwe',
    framework: 'hono',
    label: '@hono/session (JWE cookie)',
    kind: 'peer',
    store: 'cookie',
    stateless: true,
  },
  { id: 'hono-sess-memory', framework: 'hono', label: 'sess + memory', kind: 'sess', store: 'memory', destroy: true },
  { id: 'hono-sess-redis', framework: 'hono', label: 'sess + redis', kind: 'sess', store: 'redis', destroy: true },
  // Sealed-cookie mode: the record in an AES-GCM cookie, no store; a write changes the cookie (checked per response),
  // and a sealed cookie cannot be revoked server-side (no /destroy check).
  {
    id: 'hono-sess-sealed',
    framework: 'hono',
    label: 'sess, sealed cookie',
    kind: 'sess',
    store: 'cookie',
    stateless: true,
  },
]

export const FRAMEWORKS = /** @type {const} */ (['express', 'fastify', 'hono'])

/**
 * Scenarios. Every route answers JSON `{"n": <number>}`, so the bare route is a fair baseline for all of them.
 * `cookie: 'pool'` rotates over the pre-created sessions.
 */
export const SCENARIOS = [
  { id: 0, name: 'bare route', short: 'bare', path: '/bare', cookie: 'none', bareOnly: true },
  { id: 1, name: 'untouched, no cookie', short: 'untouched', path: '/untouched', cookie: 'none' },
  { id: 2, name: 'new visitor writes', short: 'new+write', path: '/write', cookie: 'none' },
  { id: 3, name: 'returning visitor reads', short: 'read', path: '/read', cookie: 'pool' },
  { id: 4, name: 'returning visitor writes', short: 'write', path: '/write', cookie: 'pool' },
]

/** Measurement order within a run: new-visitor writes last, so the sessions they create (one per request) cannot
 * crowd the pre-created pool out of a bounded store before the returning-visitor scenarios have run. */
export const SCENARIO_ORDER = [0, 1, 3, 4, 2]

export const SECRET = 'bench-secret-bench-secret-bench-secret-0123'
/** @hono/session wants 32 bytes, hex encoded. */
export const HEX_SECRET = '8f1d7c0e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d'
export const COOKIE_MAX_AGE_MS = 86_400_000
export const IDLE_SECONDS = 86_400

/**
 * Which variants a scenario measures. The bare route is measured in scenario 0 and again in the returning-visitor
 * scenarios that the budgets are about (it answers /read and /write without a session and ignores the cookies), so
 * their ratios to bare come from windows seconds apart, not a scenario apart: machine drift cancels out.
 */
export const applies = (variant, scenario) =>
  scenario.bareOnly ? variant.kind === 'bare' : variant.kind !== 'bare' || scenario.cookie === 'pool'

/** What a floor's /write sends: a session cookie of the size sess sends (signed id, a day's Max-Age and Expires). */
export const FLOOR_COOKIE = `sid=s%3A${'x'.repeat(43)}.${'y'.repeat(43)}; Max-Age=86400; Path=/; Expires=Thu, 03 Dec 2026 08:00:00 GMT; HttpOnly; SameSite=Lax`

/**
 * Floors, for `ab.mjs` and `profile.mjs` only (never in the full run): the least any server-side session middleware
 * of the framework's style must do on a returning read (and on a write: a Set-Cookie of sess's size appended after
 * the route), with no session work at all, so that "CPU over bare" can be
 * split into what the framework charges for the pattern and what the session code costs. They answer /read and /write like
 * the bare route and get their framework's session cookies (ignored).
 * @type {Variant[]}
 */
export const FLOORS = [
  // express-session's pattern: req.sessionStore, req.session and req.sessionID set, writeHead and end wrapped,
  // next() called after an awaited store read.
  { id: 'express-floor', framework: 'express', label: 'express floor (no session)', kind: 'floor', store: 'none' },
  // The same work through accessors and writeHead on Express's shared prototypes, state in a WeakMap (what
  // @sess/express does since 2026-12-02): no property is added to req or res.
  {
    id: 'express-floor-proto',
    framework: 'express',
    label: 'express floor, prototypes (no session)',
    kind: 'floor',
    store: 'none',
  },
  // An async preHandler that awaits once and decorates the request.
  { id: 'fastify-floor', framework: 'fastify', label: 'fastify floor (no session)', kind: 'floor', store: 'none' },
  // An async middleware that awaits once and sets a context variable the route awaits a value from.
  { id: 'hono-floor', framework: 'hono', label: 'hono floor (no session)', kind: 'floor', store: 'none' },
]
