-- @sess/store-sqlite schema, version 1

CREATE TABLE IF NOT EXISTS "sess_sessions" (
  id TEXT NOT NULL PRIMARY KEY,         -- the session id, or its SHA-256 (hex) with hashIds
  data TEXT NOT NULL,                   -- the session data as JSON text, patched key by key
  created_at INTEGER NOT NULL,          -- epoch ms; the absolute timeout counts from here
  expires_at INTEGER NOT NULL,          -- epoch ms; rows past it are never read, and swept
  last_seen_at INTEGER NOT NULL,        -- epoch ms of the last write or expiry refresh
  version INTEGER NOT NULL DEFAULT 1,   -- incremented by every patch (strict mode compares it)
  user_id TEXT,                         -- the bound user, for "your devices" and "log out everywhere"
  max_age INTEGER,                      -- per-session cookie lifetime in seconds, -1 for a browser session
  user_agent TEXT,                      -- opt-in device metadata
  ip TEXT                               -- opt-in device metadata
);

CREATE INDEX IF NOT EXISTS "sess_sessions_expires_at_idx" ON "sess_sessions" (expires_at);

CREATE INDEX IF NOT EXISTS "sess_sessions_user_id_idx" ON "sess_sessions" (user_id, expires_at) WHERE user_id IS NOT NULL;
