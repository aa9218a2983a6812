-- A mutation's attempt is recorded before it runs: a record with outcome
-- ATTEMPTED, then, once it ran (or was refused after all), a record with its
-- outcome and the same attempt_id. attempt_id is hashed only where it is set,
-- so every record written before this migration keeps its hash.
ALTER TABLE audit.access_log ADD COLUMN attempt_id text;

ALTER TABLE audit.access_log DROP CONSTRAINT access_log_outcome_check;

ALTER TABLE audit.access_log ADD CONSTRAINT access_log_outcome_check
  CHECK (outcome IN ('ATTEMPTED', 'OK', 'PARTIAL', 'REJECTED', 'ERROR'));

ALTER TABLE audit.access_log ADD CONSTRAINT access_log_attempt_check
  CHECK (outcome <> 'ATTEMPTED' OR attempt_id IS NOT NULL);

CREATE INDEX access_log_attempt_idx ON audit.access_log (attempt_id)
  WHERE attempt_id IS NOT NULL;

-- Idempotency keys of mutations (the Idempotency-Key header), per caller:
-- PENDING while the first request runs, DONE with its answer once it ran.
-- A key lives until expires_at (24 h by default) and is then purged.
CREATE TABLE audit.idempotency_keys (
  subject text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  state text NOT NULL CHECK (state IN ('PENDING', 'DONE')),
  response jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (subject, key),
  CHECK ((state = 'DONE') = (response IS NOT NULL))
);

CREATE INDEX idempotency_keys_expires_at_idx ON audit.idempotency_keys (expires_at);
