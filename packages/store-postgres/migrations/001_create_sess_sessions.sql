-- @sess/store-postgres schema, version 1

CREATE TABLE IF NOT EXISTS "sess_sessions" (
  id text PRIMARY KEY,                  -- the session id, or its SHA-256 (hex) with hashIds
  data jsonb NOT NULL,                  -- the session data, patched key by key
  created_at timestamptz NOT NULL,      -- the absolute timeout counts from here
  expires_at timestamptz NOT NULL,      -- rows past this instant are never read, and swept
  last_seen_at timestamptz NOT NULL,    -- the last write or expiry refresh
  version integer NOT NULL DEFAULT 1,   -- incremented by every patch (strict mode compares it)
  user_id text,                         -- the bound user, for "your devices" and "log out everywhere"
  max_age jsonb,                        -- per-session cookie lifetime in seconds, JSON null for a browser session
  user_agent text,                      -- opt-in device metadata
  ip text                               -- opt-in device metadata
);

CREATE INDEX IF NOT EXISTS "sess_sessions_expires_at_idx" ON "sess_sessions" (expires_at);

CREATE INDEX IF NOT EXISTS "sess_sessions_user_id_idx" ON "sess_sessions" (user_id) WHERE user_id IS NOT NULL;
