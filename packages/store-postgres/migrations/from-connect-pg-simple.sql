-- @sess/store-postgres: moves the live sessions of connect-pg-simple's "session" table into "sess_sessions", so users
-- stay logged in. Run it once, after migrations/001_create_sess_sessions.sql (or ensureSchema()), in the schema that
-- holds both tables, with the same TimeZone setting the app's connections use (connect-pg-simple's "expire" is a
-- timestamp without time zone, written in the connection's TimeZone). Keep the app's secret and cookie name.
-- Idempotent: sessions already moved are left alone. With hashIds: true, insert encode(sha256(sid::bytea), 'hex')
-- as the id instead of sid.
INSERT INTO sess_sessions (id, data, created_at, expires_at, last_seen_at, version, user_id, max_age)
SELECT
  sid,
  sess::jsonb - 'cookie',                                  -- express-session keeps the cookie inside the data
  now(),                                                   -- unknown: the absolute timeout restarts from now
  expire::timestamptz,
  now(),
  1,
  NULL,                                                    -- bind users with setUser() at their next login
  CASE WHEN sess -> 'cookie' ->> 'originalMaxAge' IS NULL THEN 'null'::jsonb END  -- browser-session cookies stay so
FROM "session"
WHERE expire > now()
ON CONFLICT (id) DO NOTHING;
