-- The gateway's access log (schema audit): one row per operation that read
-- another department's data. Append-only and hash-chained: each row's hash
-- covers its fields and the previous row's hash (see
-- gateway/src/accessLog/hashRecord.ts). seq is assigned by the writer in
-- chain order under an advisory lock, never by a sequence, so it has no gaps.
CREATE TABLE audit.access_log (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  recorded_at timestamptz NOT NULL,
  subject text NOT NULL,
  department text NOT NULL,
  roles text[] NOT NULL,
  purpose text NOT NULL,
  operation_hash text NOT NULL,
  operation_text text NOT NULL,
  operation_name text,
  read jsonb NOT NULL,
  withheld jsonb NOT NULL,
  masked jsonb NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('OK', 'PARTIAL', 'REJECTED', 'ERROR')),
  latency_ms integer NOT NULL CHECK (latency_ms >= 0),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

-- The verifier looks records up by hash when a link breaks (REORDERED or
-- BROKEN_LINK); audits search by time.
CREATE INDEX access_log_hash_idx ON audit.access_log (hash);
CREATE INDEX access_log_recorded_at_idx ON audit.access_log (recorded_at);

-- Append-only inside the database too: UPDATE, DELETE and TRUNCATE raise.
-- The kit's migration runner splits on every semicolon and has no $$ bodies,
-- so the PL/pgSQL body is an E'' string whose one semicolon is written as
-- the octal escape \073 (and its inner quotes doubled).
CREATE FUNCTION audit.refuse_access_log_change() RETURNS trigger
  LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''audit.access_log is append-only: % refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER access_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.access_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_access_log_change();
