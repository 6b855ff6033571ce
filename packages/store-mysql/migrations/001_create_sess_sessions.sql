-- @sess/store-mysql schema, version 1

CREATE TABLE IF NOT EXISTS `sess_sessions` (
  id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,      -- the session id, or its SHA-256 (hex) with hashIds
  data JSON NOT NULL,                                                      -- the session data, patched key by key
  created_at BIGINT NOT NULL,                                              -- epoch ms; the absolute timeout counts from here
  expires_at BIGINT NOT NULL,                                              -- epoch ms; rows past it are never read, and swept
  last_seen_at BIGINT NOT NULL,                                            -- epoch ms of the last write or expiry refresh
  version BIGINT NOT NULL DEFAULT 1,                                       -- incremented by every patch (strict mode compares it)
  user_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,     -- the bound user, for "your devices" and "log out everywhere"
  max_age INT NULL,                                                        -- per-session cookie lifetime in seconds, -1 for a browser session
  user_agent VARCHAR(512) NULL,                                            -- opt-in device metadata
  ip VARCHAR(45) NULL,                                                     -- opt-in device metadata
  PRIMARY KEY (id),
  KEY sess_expires_at (expires_at),
  KEY sess_user_id (user_id, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
