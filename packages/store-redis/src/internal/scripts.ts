import { createHash } from 'node:crypto'

/** A Lua script and its SHA-1, for EVALSHA. */
export interface LuaScript {
  readonly name: string
  readonly source: string
  readonly sha: string
}

function lua(name: string, ...parts: string[]): LuaScript {
  const source = parts.join('\n')
  return { name, source, sha: createHash('sha1').update(source).digest('hex') }
}

// Record layout: one hash per session. Meta fields createdAt, expiresAt, version (numbers as text), userId,
// maxAge ('null' or seconds), userAgent and ip are optional where the record's are; data key K lives in field 'd:' .. K.
// Numbers cross as text: %.17g round-trips a double exactly, so Lua and JS compare the very same values.
// A key of another type (a string connect-redis wrote, a list) is found by the hash command itself, through
// redis.pcall: its WRONGTYPE reply comes back as a table with `err` (HMGET, HGETALL) or as that table where a string
// was expected (HGET), rather than by a TYPE call first, one command more inside every script. (Only the cluster's
// destroy-if-user still asks TYPE, to tell a key that is gone from one that is not a session.)

/** Keeps `id` in the user index `idx` and the index alive at least until `at` (ms): never shorter than a session it lists. */
const TRACK = `
local function track(idx, id, at)
  local pttl = redis.call('PTTL', idx)
  redis.call('SADD', idx, id)
  if pttl == -1 then return end
  if pttl >= 0 then
    local t = redis.call('TIME')
    if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + pttl >= at then return end
  end
  redis.call('PEXPIREAT', idx, string.format('%.0f', at))
end`

/** Drops from `idx` every id whose session is gone or bound to someone else (atomic, so no live binding is lost). */
const PRUNE = `
local function prune(idx, prefix, user, keep)
  local members = redis.call('SMEMBERS', idx)
  for i = 1, #members do
    local m = members[i]
    if m ~= keep then
      local k = prefix .. m
      if redis.pcall('HGET', k, 'userId') ~= user then
        redis.call('SREM', idx, m)
      end
    end
  end
end`

/** HSET of ARGV[from..to] (field/value pairs) in chunks, since unpack() of thousands of values overflows Lua's stack. */
const HSET_RANGE = `
local function hsetRange(key, from, to)
  for i = from, to, 200 do redis.call('HSET', key, unpack(ARGV, i, math.min(i + 199, to))) end
end`

/**
 * Whether HGETALL pairs `r` hold a record the store can decode, as far as Lua can tell: only known meta fields and
 * data fields, createdAt, expiresAt and version finite numbers, maxAge 'null' or a number. Data values are checked
 * by the store after the read (a custom serializer is JavaScript).
 */
const SOUND = `
local function num(text)
  local n = tonumber(text)
  if n == nil or n ~= n or n == math.huge or n == -math.huge then return nil end
  return n
end
local function sound(r)
  local seen = 0
  for i = 1, #r, 2 do
    local f, v = r[i], r[i + 1]
    if f == 'createdAt' or f == 'expiresAt' or f == 'version' then
      if not num(v) then return false end
      seen = seen + 1
    elseif f == 'maxAge' then
      if v ~= 'null' and not num(v) then return false end
    elseif f ~= 'userId' and f ~= 'userAgent' and f ~= 'ip' and string.sub(f, 1, 2) ~= 'd:' then return false end
  end
  return seen == 3
end`

/**
 * Reads a session and, when ARGV[2] is '1', refreshes its expiry if due: the rule of `touchedExpiresAt` in
 * @sess/core, on the same numbers; a record that is not {@link SOUND} is never refreshed (the core rejects it).
 * Returns 0 (no key), 1 (not a hash) or the HGETALL pairs plus the expiresAt text before a refresh ('' if none).
 * ARGV: now ms, touch, idle s, absolute s or '', touchAfter s, user index prefix or '' (cluster), stored id.
 */
export const READ: LuaScript = lua(
  'read',
  TRACK,
  SOUND,
  `local key = KEYS[1]
local r = redis.pcall('HGETALL', key)
if r.err then return 1 end
if #r == 0 then return 0 end
local before = ''
if ARGV[2] == '1' and sound(r) then
  local now = tonumber(ARGV[1])
  local created, expires, maxAge, user, at
  for i = 1, #r, 2 do
    local f = r[i]
    if f == 'createdAt' then created = tonumber(r[i + 1])
    elseif f == 'expiresAt' then expires = tonumber(r[i + 1]); at = i + 1
    elseif f == 'maxAge' then maxAge = tonumber(r[i + 1])
    elseif f == 'userId' then user = r[i + 1] end
  end
  if expires > now then
    local nxt = now + (maxAge or tonumber(ARGV[3])) * 1000
    if ARGV[4] ~= '' then nxt = math.min(nxt, created + tonumber(ARGV[4]) * 1000) end
    local gained = nxt - expires
    if nxt > now and gained > 0 and gained >= tonumber(ARGV[5]) * 1000 then
      local text = string.format('%.17g', nxt)
      local ceil = math.ceil(nxt)
      redis.call('HSET', key, 'expiresAt', text)
      redis.call('PEXPIREAT', key, string.format('%.0f', ceil))
      if user and ARGV[6] ~= '' then track(ARGV[6] .. user, ARGV[7], ceil) end
      before = r[at]
      r[at] = text
    end
  end
end
r[#r + 1] = before
return r`,
)

/**
 * Undoes a refresh by READ of a record the store then found undecodable, unless it was written meanwhile.
 * ARGV: the expiresAt READ wrote, the expiresAt before.
 */
export const UNTOUCH: LuaScript = lua(
  'untouch',
  `local key = KEYS[1]
if redis.pcall('HGET', key, 'expiresAt') ~= ARGV[1] then return 0 end
redis.call('HSET', key, 'expiresAt', ARGV[2])
redis.call('PEXPIREAT', key, string.format('%.0f', math.ceil(tonumber(ARGV[2]))))
return 1`,
)

/**
 * Replaces a session and, standalone, moves it between user indexes.
 * ARGV: expire-at ms, key prefix, user index prefix or '' (cluster), stored id, userId or '', field/value pairs...
 */
export const SET: LuaScript = lua(
  'set',
  TRACK,
  PRUNE,
  HSET_RANGE,
  `local key, userPrefix, id, user = KEYS[1], ARGV[3], ARGV[4], ARGV[5]
local old = false
if userPrefix ~= '' then
  local held = redis.pcall('HGET', key, 'userId')
  if type(held) == 'string' then old = held end
end
redis.call('UNLINK', key)
hsetRange(key, 6, #ARGV)
redis.call('PEXPIREAT', key, ARGV[1])
if userPrefix ~= '' then
  if old and old ~= user then redis.call('SREM', userPrefix .. old, id) end
  if user ~= '' then
    local idx = userPrefix .. user
    prune(idx, ARGV[2], user, id)
    track(idx, id, tonumber(ARGV[1]))
  end
end
return 1`,
)

/**
 * Applies a field-level patch to a live session: never resurrects one, compares the version in strict mode.
 * ARGV: now ms, expiresAt, expire-at ms, expected version or '', user op ('' keep, '=' bind, '-' unbind), userId,
 * maxAge or '' (keep), key prefix, user index prefix or '' (cluster), stored id, n, n field/value pairs, fields to delete...
 */
export const PATCH: LuaScript = lua(
  'patch',
  TRACK,
  PRUNE,
  HSET_RANGE,
  `local key = KEYS[1]
local meta = redis.pcall('HMGET', key, 'expiresAt', 'version', 'userId', 'createdAt')
if meta.err then return 'missing' end
local expires = tonumber(meta[1])
if not expires or expires <= tonumber(ARGV[1]) or not tonumber(meta[4]) then return 'missing' end
local version = tonumber(meta[2]) or 0
if ARGV[4] ~= '' and version ~= tonumber(ARGV[4]) then return 'conflict' end
local last = 11 + tonumber(ARGV[11]) * 2
hsetRange(key, 12, last)
for i = last + 1, #ARGV, 200 do redis.call('HDEL', key, unpack(ARGV, i, math.min(i + 199, #ARGV))) end
redis.call('HSET', key, 'version', string.format('%.0f', version + 1), 'expiresAt', ARGV[2])
if ARGV[7] ~= '' then redis.call('HSET', key, 'maxAge', ARGV[7]) end
local old, user = meta[3], meta[3]
if ARGV[5] == '=' then
  user = ARGV[6]
  redis.call('HSET', key, 'userId', user)
elseif ARGV[5] == '-' then
  user = false
  redis.call('HDEL', key, 'userId')
end
redis.call('PEXPIREAT', key, ARGV[3])
local userPrefix = ARGV[9]
if userPrefix ~= '' then
  if old and old ~= user then redis.call('SREM', userPrefix .. old, ARGV[10]) end
  if user then
    local idx = userPrefix .. user
    if user ~= old then prune(idx, ARGV[8], user, ARGV[10]) end
    track(idx, ARGV[10], tonumber(ARGV[3]))
  end
end
return 'ok'`,
)

/** Moves a live session's expiry. ARGV: now ms, expiresAt, expire-at ms, user index prefix or '' (cluster), stored id. */
export const TOUCH: LuaScript = lua(
  'touch',
  TRACK,
  `local key = KEYS[1]
local meta = redis.pcall('HMGET', key, 'expiresAt', 'userId', 'createdAt')
if meta.err then return 0 end
local expires = tonumber(meta[1])
if not expires or expires <= tonumber(ARGV[1]) or not tonumber(meta[3]) then return 0 end
redis.call('HSET', key, 'expiresAt', ARGV[2])
redis.call('PEXPIREAT', key, ARGV[3])
if meta[2] and ARGV[4] ~= '' then track(ARGV[4] .. meta[2], ARGV[5], tonumber(ARGV[3])) end
return 1`,
)

/** Standalone: removes a session and its user index entry. ARGV: user index prefix, stored id. */
export const DESTROY: LuaScript = lua(
  'destroy',
  `local key = KEYS[1]
local user = redis.pcall('HGET', key, 'userId')
if type(user) == 'string' then redis.call('SREM', ARGV[1] .. user, ARGV[2]) end
return redis.call('UNLINK', key)`,
)

/**
 * Standalone: a user's live sessions as [id, n, n fields and values, ...], pruning the index on the way.
 * KEYS[1]: the user index. ARGV: key prefix, userId.
 */
export const LIST_USER: LuaScript = lua(
  'list-user',
  `local idx, out = KEYS[1], {}
local members = redis.call('SMEMBERS', idx)
for i = 1, #members do
  local m = members[i]
  local k = ARGV[1] .. m
  if redis.pcall('HGET', k, 'userId') == ARGV[2] then
    local r = redis.call('HGETALL', k)
    out[#out + 1] = m
    out[#out + 1] = #r
    for j = 1, #r do out[#out + 1] = r[j] end
  else
    redis.call('SREM', idx, m)
  end
end
return out`,
)

/** 1 if hash `k`, bound to `user`, is a live, sound record at `now`; 0 if bound to `user` but ended or corrupt; -1 otherwise. */
const BOUND = `
local function bound(k, user, now)
  if redis.pcall('HGET', k, 'userId') ~= user then return -1 end
  local r = redis.call('HGETALL', k)
  if not sound(r) then return 0 end
  for i = 1, #r, 2 do
    if r[i] == 'expiresAt' then return tonumber(r[i + 1]) > now and 1 or 0 end
  end
  return 0
end`

/**
 * Standalone: destroys every session of a user except one, atomically with its index; returns how many live
 * sessions it ended (ended or corrupt records of the user go too, uncounted).
 * KEYS[1]: the user index. ARGV: key prefix, userId, stored id to keep or '', now ms.
 */
export const DESTROY_USER: LuaScript = lua(
  'destroy-user',
  SOUND,
  BOUND,
  `local idx, n, now = KEYS[1], 0, tonumber(ARGV[4])
local members = redis.call('SMEMBERS', idx)
for i = 1, #members do
  local m = members[i]
  local k = ARGV[1] .. m
  local state = bound(k, ARGV[2], now)
  if state == -1 then
    redis.call('SREM', idx, m)
  elseif m ~= ARGV[3] then
    redis.call('UNLINK', k)
    redis.call('SREM', idx, m)
    n = n + state
  end
end
return n`,
)

/**
 * Cluster: adds an id to a user index, which then has no TTL (touches cannot reach it in another slot), and
 * returns its size so the store knows when to prune. ARGV: stored id.
 */
export const BIND: LuaScript = lua(
  'bind',
  `redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PERSIST', KEYS[1])
return redis.call('SCARD', KEYS[1])`,
)

/**
 * Cluster: destroys a session only if it is still bound to the user: 1 a live session destroyed, 2 an ended or
 * corrupt one removed (not counted), 0 someone else's, -1 gone. ARGV: userId, now ms.
 */
export const DESTROY_IF_USER: LuaScript = lua(
  'destroy-if-user',
  SOUND,
  BOUND,
  `if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return -1 end
local state = bound(KEYS[1], ARGV[1], tonumber(ARGV[2]))
if state == -1 then return 0 end
redis.call('UNLINK', KEYS[1])
return state == 1 and 1 or 2`,
)
