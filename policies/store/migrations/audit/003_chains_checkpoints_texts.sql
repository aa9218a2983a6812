-- The access log scales out (docs/design.md "Audit"): one hash chain per
-- writer instead of one chain for all under an advisory lock, periodic
-- checkpoints that bind every chain's head into one hash-linked sequence,
-- and operation texts stored once by their SHA-256.
--
-- seq stays the table's primary key and the order records were stored in,
-- now drawn from a sequence (a batch that rolls back leaves a gap; the
-- verifier tells such a gap from a deletion by the links of the chains).
-- Records written before this migration form the chain 'legacy' and keep
-- their hashes and their operation_text in the row.
CREATE SEQUENCE audit.access_log_seq AS bigint OWNED BY audit.access_log.seq;

SELECT setval('audit.access_log_seq', COALESCE((SELECT max(seq) FROM audit.access_log), 0) + 1, false);

ALTER TABLE audit.access_log ALTER COLUMN seq SET DEFAULT nextval('audit.access_log_seq');

ALTER TABLE audit.access_log ADD COLUMN chain_id text NOT NULL DEFAULT 'legacy';

-- A record keeps its operation text in the row (legacy) or refers to it by
-- SHA-256 in audit.operation_texts: exactly one of the two.
ALTER TABLE audit.access_log ALTER COLUMN operation_text DROP NOT NULL;

ALTER TABLE audit.access_log ADD COLUMN operation_sha256 text
  CHECK (operation_sha256 ~ '^[0-9a-f]{64}$');

ALTER TABLE audit.access_log ADD CONSTRAINT access_log_operation_text_check
  CHECK ((operation_text IS NULL) <> (operation_sha256 IS NULL));

CREATE TABLE audit.operation_texts (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  text text NOT NULL
);

-- One row per chain: who writes it and its head, moved by the writer in the
-- transaction of each batch, only from the head it expects (so two writers
-- can never extend one chain). checkpointed_seq is the head the last
-- checkpoint bound. A working register, not evidence: the verifier checks
-- that each registered head is still in its chain.
CREATE TABLE audit.access_log_chains (
  chain_id text PRIMARY KEY,
  writer_id text NOT NULL,
  started_at timestamptz NOT NULL,
  closed_at timestamptz,
  head_seq bigint,
  head_hash text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
  records bigint NOT NULL CHECK (records >= 0),
  checkpointed_seq bigint
);

INSERT INTO audit.access_log_chains
  (chain_id, writer_id, started_at, closed_at, head_seq, head_hash, records)
SELECT 'legacy', 'legacy', min(recorded_at), now(),
       (SELECT seq FROM audit.access_log ORDER BY seq DESC LIMIT 1),
       (SELECT hash FROM audit.access_log ORDER BY seq DESC LIMIT 1),
       count(*)
  FROM audit.access_log
HAVING count(*) > 0;

-- Checkpoints: each binds the heads (chain, seq, hash) of the chains that
-- grew since the one before, and that checkpoint's hash, in a hash of its
-- own (see policies/store/src/audit/checkpoints.ts). id has no gaps: it is
-- assigned under an advisory lock.
CREATE TABLE audit.access_log_checkpoints (
  id bigint PRIMARY KEY CHECK (id > 0),
  created_at timestamptz NOT NULL,
  heads jsonb NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE FUNCTION audit.refuse_change() RETURNS trigger
  LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''%.% is append-only: % refused'', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER operation_texts_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.operation_texts
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

CREATE TRIGGER access_log_checkpoints_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.access_log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- The records with their operation texts, whichever way they are stored:
-- what readers of the log select from.
CREATE VIEW audit.access_records AS
SELECT l.seq, l.chain_id, l.recorded_at, l.subject, l.department, l.roles,
       l.purpose, l.operation_hash,
       COALESCE(l.operation_text, t.text) AS operation_text,
       l.operation_sha256, l.operation_name, l.read, l.withheld, l.masked,
       l.outcome, l.latency_ms, l.prev_hash, l.hash, l.attempt_id
  FROM audit.access_log l
  LEFT JOIN audit.operation_texts t ON t.sha256 = l.operation_sha256
