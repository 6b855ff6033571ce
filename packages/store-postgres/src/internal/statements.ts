// Every parameter is cast in the SQL, jsonb ones through text: postgres.js would otherwise JSON-encode our JSON text again.
/** Epoch milliseconds (a float8 parameter) as timestamptz. */
const ts = (param: string): string => `to_timestamp(${param}::float8 / 1000)`
/** A timestamptz column as epoch milliseconds (float8, exact for whole milliseconds). */
const ms = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`

// A row this store could have written; a touch or a patch never extends or edits anything else.
const SOUND = `jsonb_typeof(data) = 'object' AND created_at IS NOT NULL AND version IS NOT NULL
  AND (max_age IS NULL OR jsonb_typeof(max_age) IN ('number', 'null'))`

// Single lowercase words as aliases: a postgres.js column transform (e.g. postgres.camel) leaves them alone.
const COLUMNS = (t: string, expires = `${t}.expires_at`): string =>
  `${t}.data::text AS data, ${ms(`${t}.created_at`)} AS created, ${ms(expires)} AS expires,
  ${t}.version AS version, ${t}.user_id AS uid, ${t}.max_age::text AS maxage, ${t}.user_agent AS agent, ${t}.ip AS ip`

/** Every statement of one store, built once for its table. `$n` parameters are documented per statement. */
export interface Statements {
  /** $1 id, $2 now. Live rows, and rows whose expires_at is null (reported as invalid). */
  get: string
  /** $1 id, $2 now, $3 idle s, $4 absolute s or null, $5 touchAfter s: the read with its throttled touch. */
  getAndTouch: string
  /** $1 id, $2 data, $3 created, $4 expires, $5 now, $6 version, $7 user, $8 max_age, $9 agent, $10 ip. */
  set: string
  /** `set` plus a bounded sweep of expired rows in the same statement. */
  setAndSweep: string
  /** $1 id, $2 set (jsonb object), $3 unset (jsonb array), $4 expires, $5 now, $6 expected version or null,
   * $7 change user?, $8 user, $9 change max_age?, $10 max_age. Answers one row `{ result }`. */
  patch: string
  /** `patch` plus a bounded sweep of expired rows in the same statement. */
  patchAndSweep: string
  /** $1 id, $2 expires, $3 now. */
  touch: string
  /** $1 id. */
  destroy: string
  /** $1 user, $2 now. */
  listByUser: string
  /** $1 user, $2 id to keep or null, $3 now. Answers `{ n }`, the live sessions removed. */
  destroyByUser: string
  clear: string
  /** $1 now. */
  count: string
}

/** Builds the statements for `table`, an already quoted (and possibly schema-qualified) name. */
export function buildStatements(table: string, sweepLimit: number): Statements {
  // The current row is never swept (a set may be replacing an expired one): one statement must not change a row twice.
  const sweep = (now: string): string =>
    `swept AS (DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table}
    WHERE expires_at < ${ts(now)} AND id <> $1::text LIMIT ${sweepLimit} FOR UPDATE SKIP LOCKED)))`
  const set = `INSERT INTO ${table} AS t (id, data, created_at, expires_at, last_seen_at, version, user_id, max_age, user_agent, ip)
  VALUES ($1::text, $2::text::jsonb, ${ts('$3')}, ${ts('$4')}, ${ts('$5')}, $6::int4, $7::text, $8::text::jsonb, $9::text, $10::text)
  ON CONFLICT (id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at, expires_at = excluded.expires_at,
    last_seen_at = excluded.last_seen_at, version = excluded.version, user_id = excluded.user_id,
    max_age = excluded.max_age, user_agent = excluded.user_agent, ip = excluded.ip`
  const live = (now: string): string => `expires_at > ${ts(now)} AND ${SOUND}`
  const patch = (extra: string): string => `WITH ${extra}upd AS (
    UPDATE ${table} SET data = (data || $2::text::jsonb) - ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)),
      expires_at = ${ts('$4')}, last_seen_at = ${ts('$5')}, version = version + 1,
      user_id = CASE WHEN $7::bool THEN $8::text ELSE user_id END,
      max_age = CASE WHEN $9::bool THEN $10::text::jsonb ELSE max_age END
    WHERE id = $1::text AND ${live('$5')} AND ($6::int4 IS NULL OR version = $6::int4)
    RETURNING 1)
  SELECT CASE WHEN EXISTS (SELECT 1 FROM upd) THEN 'ok'
    WHEN $6::int4 IS NOT NULL AND EXISTS (SELECT 1 FROM ${table} WHERE id = $1::text AND ${live('$5')}) THEN 'conflict'
    ELSE 'missing' END AS result`

  return {
    get: `SELECT ${COLUMNS(table)} FROM ${table} WHERE id = $1::text AND (expires_at > ${ts('$2')} OR expires_at IS NULL)`,
    getAndTouch: `WITH cur AS (
      SELECT *, CASE WHEN expires_at IS NOT NULL AND ${SOUND} THEN LEAST(
        $2::float8 + 1000 * CASE WHEN jsonb_typeof(max_age) = 'number' THEN (max_age #>> '{}')::float8 ELSE $3::float8 END,
        ${ms('created_at')} + 1000 * $4::float8) END AS next
      FROM ${table} WHERE id = $1::text AND (expires_at > ${ts('$2')} OR expires_at IS NULL)
    ), due AS (
      SELECT id, next FROM cur
      WHERE next > $2::float8 AND next > ${ms('expires_at')} AND next - ${ms('expires_at')} >= 1000 * $5::float8
    ), upd AS (
      UPDATE ${table} AS t SET expires_at = to_timestamp(due.next / 1000), last_seen_at = ${ts('$2')}
      FROM due WHERE t.id = due.id RETURNING t.id, t.expires_at
    )
    SELECT ${COLUMNS('cur', 'COALESCE(upd.expires_at, cur.expires_at)')},
      upd.id IS NOT NULL AS touched
    FROM cur LEFT JOIN upd ON true`,
    set,
    setAndSweep: `WITH ${sweep('$5')} ${set}`,
    patch: patch(''),
    patchAndSweep: patch(`${sweep('$5')}, `),
    touch: `UPDATE ${table} SET expires_at = ${ts('$2')}, last_seen_at = ${ts('$3')} WHERE id = $1::text AND ${live('$3')}`,
    destroy: `DELETE FROM ${table} WHERE id = $1::text`,
    listByUser: `SELECT ${table}.id AS id, ${COLUMNS(table)}, ${ms('last_seen_at')} AS seen FROM ${table} WHERE user_id = $1::text AND ${live('$2')}`,
    destroyByUser: `WITH gone AS (
      DELETE FROM ${table} WHERE user_id = $1::text AND ($2::text IS NULL OR id <> $2::text)
      RETURNING (expires_at > ${ts('$3')} AND ${SOUND}) AS live)
    SELECT (count(*) FILTER (WHERE live))::int4 AS n FROM gone`,
    clear: `DELETE FROM ${table}`,
    count: `SELECT count(*)::int4 AS n FROM ${table} WHERE ${live('$1')}`,
  }
}
