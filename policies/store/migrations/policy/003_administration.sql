-- Administration of the negative list through the governance subgraph
-- (subgraphs/governance): who wrote and approved what and when, the
-- immutable history of every entry version, share requests, field
-- classifications, city-wide settings, and the log of every published
-- policy version. The gateway loads the classifications and settings with
-- the rest of the policy; the other tables are the administration's own.

-- Entry versions: a revision counter for optimistic concurrency (every
-- change of a version counts it up; a write naming an older revision is
-- refused) and the instants of the lifecycle.
ALTER TABLE policy.negative_list_entries
  ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision > 0);
ALTER TABLE policy.negative_list_entries
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE policy.negative_list_entries ADD COLUMN submitted_at timestamptz;
ALTER TABLE policy.negative_list_entries ADD COLUMN approved_at timestamptz;

-- At most one version of an entry is being written or reviewed at a time.
CREATE UNIQUE INDEX negative_list_entries_one_open_idx
  ON policy.negative_list_entries (id) WHERE status IN ('DRAFT', 'IN_REVIEW');

-- Every change of every entry version, oldest first: append-only.
CREATE TABLE policy.entry_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry_id text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  action text NOT NULL CHECK (action IN ('CREATED', 'EDITED', 'SUBMITTED', 'RETURNED', 'APPROVED', 'SUPERSEDED', 'REVOKED', 'IMPORTED')),
  from_status text CHECK (from_status IN ('DRAFT', 'IN_REVIEW', 'ACTIVE', 'SUPERSEDED', 'REVOKED')),
  to_status text NOT NULL CHECK (to_status IN ('DRAFT', 'IN_REVIEW', 'ACTIVE', 'SUPERSEDED', 'REVOKED')),
  actor text NOT NULL CHECK (actor <> ''),
  actor_department text NOT NULL CHECK (actor_department <> ''),
  comment text,
  revision integer NOT NULL CHECK (revision > 0),
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX entry_events_entry_idx ON policy.entry_events (entry_id, version, seq);

-- Append-only inside the database too (the kit's migration runner splits on
-- semicolons: the body's semicolon is the octal escape \073).
CREATE FUNCTION policy.refuse_history_change() RETURNS trigger
  LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''%.% is append-only: % refused'', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER entry_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON policy.entry_events
  FOR EACH STATEMENT EXECUTE FUNCTION policy.refuse_history_change();

-- Grants: who issued or revoked them, and the share request they answer.
ALTER TABLE policy.grants ADD COLUMN request_id text;
ALTER TABLE policy.grants ADD COLUMN issued_by text;
ALTER TABLE policy.grants ADD COLUMN revoked_by text;
ALTER TABLE policy.grants ADD COLUMN revoked_at timestamptz;
ALTER TABLE policy.grants ADD COLUMN revocation_reason text;

-- A consumer department's request for CONDITIONAL data (national
-- request-reply workflow): the owner approves it (and a grant is issued) or
-- rejects it with a reason, by the due date.
CREATE TABLE policy.share_requests (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  entry_id text NOT NULL,
  owner_department text NOT NULL CHECK (owner_department <> ''),
  consumer_department text NOT NULL CHECK (consumer_department <> ''),
  purpose text NOT NULL CHECK (purpose <> ''),
  scenario text,
  coordinates text[] NOT NULL CHECK (cardinality(coordinates) > 0),
  justification text NOT NULL CHECK (btrim(justification) <> ''),
  requested_expiry timestamptz NOT NULL,
  requested_by text NOT NULL CHECK (requested_by <> ''),
  requested_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
  decided_by text,
  decided_at timestamptz,
  decision_reason text,
  grant_id text,
  revision integer NOT NULL DEFAULT 1 CHECK (revision > 0),
  CONSTRAINT share_requests_four_eyes CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CONSTRAINT share_requests_rejection_reason CHECK (status <> 'REJECTED' OR btrim(coalesce(decision_reason, '')) <> ''),
  CONSTRAINT share_requests_approved_grant CHECK (status <> 'APPROVED' OR grant_id IS NOT NULL),
  CONSTRAINT share_requests_decided CHECK ((status = 'PENDING') = (decided_at IS NULL))
);

CREATE INDEX share_requests_owner_idx ON policy.share_requests (owner_department, status, due_at);
CREATE INDEX share_requests_consumer_idx ON policy.share_requests (consumer_department, status);

-- Classification tags a data officer gave a field (on top of the class:
-- tags of its subgraph's SDL). Part of the policy the gateway decides from.
CREATE TABLE policy.field_classifications (
  coordinate text PRIMARY KEY CHECK (coordinate ~ '^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$'),
  tags text[] NOT NULL CHECK (cardinality(tags) > 0),
  reviewed_by text NOT NULL CHECK (reviewed_by <> ''),
  reviewed_at timestamptz NOT NULL DEFAULT now()
);

-- When the administration first saw each field of the supergraph, so that
-- a field that appears unclassified is flagged to its owner with its age.
CREATE TABLE policy.field_sightings (
  coordinate text PRIMARY KEY,
  owners text[] NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now()
);

-- City-wide switches, one row each; absent rows take their defaults.
CREATE TABLE policy.settings (
  name text PRIMARY KEY CHECK (name IN ('withholdUnclassified')),
  value jsonb NOT NULL,
  updated_by text NOT NULL CHECK (updated_by <> ''),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every version the policy was published as, with the whole document:
-- export, diff and explain any past version. Append-only.
CREATE TABLE policy.publications (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version text NOT NULL,
  document jsonb NOT NULL CHECK (jsonb_typeof(document) = 'object'),
  actor text NOT NULL CHECK (actor <> ''),
  change text NOT NULL CHECK (change <> ''),
  published_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX publications_version_idx ON policy.publications (version, seq);

CREATE TRIGGER publications_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON policy.publications
  FOR EACH STATEMENT EXECUTE FUNCTION policy.refuse_history_change();

-- Hot reload: the new tables the gateway decides from notify as the others do.
CREATE TRIGGER field_classifications_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.field_classifications
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change();

CREATE TRIGGER settings_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.settings
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change()
