-- The OpenTelemetry trace id of the request a record logs, when the gateway
-- traced it (docs/operations.md "Traces"): where to find the request's spans.
-- Hashed only where it is set, like attempt_id, so every record written
-- before this migration, or without tracing, keeps its hash.
ALTER TABLE audit.access_log ADD COLUMN trace_id text
  CHECK (trace_id ~ '^[0-9a-f]{32}$');

CREATE OR REPLACE VIEW audit.access_records AS
SELECT l.seq, l.chain_id, l.recorded_at, l.subject, l.department, l.roles,
       l.purpose, l.operation_hash,
       COALESCE(l.operation_text, t.text) AS operation_text,
       l.operation_sha256, l.operation_name, l.read, l.withheld, l.masked,
       l.outcome, l.latency_ms, l.prev_hash, l.hash, l.attempt_id, l.trace_id
  FROM audit.access_log l
  LEFT JOIN audit.operation_texts t ON t.sha256 = l.operation_sha256;
