-- Revoked bearer tokens: one token by its jti, or every token of a subject
-- issued (iat) at or before an instant. Written by the governance
-- subgraph's revokeTokens (the city data authority, with a reason) and
-- loaded with the policy by every gateway's policy store, which refuses a
-- revoked token on its next request (HTTP 401, rule token-revoked).
-- Append-only: a revocation is never taken back (a subject whose tokens
-- were revoked gets new ones, issued after it).
CREATE TABLE policy.token_revocations (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  jti text CHECK (jti <> '' AND length(jti) <= 256),
  subject text CHECK (subject <> '' AND length(subject) <= 256),
  issued_before timestamptz,
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  revoked_by text NOT NULL CHECK (revoked_by <> ''),
  revoked_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT token_revocations_one_target CHECK ((jti IS NULL) <> (subject IS NULL)),
  CONSTRAINT token_revocations_subject_instant CHECK ((subject IS NULL) = (issued_before IS NULL))
);

CREATE INDEX token_revocations_subject_idx ON policy.token_revocations (subject, seq) WHERE subject IS NOT NULL;
CREATE INDEX token_revocations_jti_idx ON policy.token_revocations (jti) WHERE jti IS NOT NULL;

CREATE TRIGGER token_revocations_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON policy.token_revocations
  FOR EACH STATEMENT EXECUTE FUNCTION policy.refuse_history_change();

-- Hot reload: a revocation reaches every gateway as a policy change does.
CREATE TRIGGER token_revocations_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.token_revocations
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change()
