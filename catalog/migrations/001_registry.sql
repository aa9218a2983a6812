-- The algorithm registry (算法备案, schema catalog): every filing with its
-- registration data and lifecycle state, its immutable revisions (what was
-- declared and reviewed: inputs, outputs, evidence, …), the append-only
-- history of every transition, and the notifications the annual re-review
-- job sends. What a filing may read is bound into the policy store
-- (policy.algorithm_bindings) on every transition that changes it.

CREATE TABLE catalog.filings (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  name text NOT NULL CHECK (btrim(name) <> ''),
  owner_department text NOT NULL CHECK (owner_department <> ''),
  safety_officer text NOT NULL CHECK (btrim(safety_officer) <> ''),
  service_form text NOT NULL CHECK (btrim(service_form) <> ''),
  domain text NOT NULL CHECK (btrim(domain) <> ''),
  algorithm_type text NOT NULL CHECK (btrim(algorithm_type) <> ''),
  risk_category text NOT NULL CHECK (risk_category IN ('LOW', 'MEDIUM', 'HIGH')),
  state text NOT NULL CHECK (state IN ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'RETURNED', 'FILED', 'PILOT', 'IN_SERVICE', 'CHANGE_PENDING', 'SUSPENDED', 'RETIRED')),
  -- The revision being written or reviewed, and the one approved (whose
  -- inputs bind the algorithm's access); equal unless a change is pending.
  current_revision integer NOT NULL CHECK (current_revision > 0),
  approved_revision integer CHECK (approved_revision IS NULL OR approved_revision <= current_revision),
  filing_number text UNIQUE,
  submitted_by text,
  reviewer text,
  filed_at timestamptz,
  last_reviewed_at timestamptz,
  next_review_at timestamptz,
  review_flagged_at timestamptz,
  created_by text NOT NULL CHECK (created_by <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Counts every change; a write naming an older one is refused.
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  CONSTRAINT filings_number_when_filed CHECK (
    (filing_number IS NULL) = (state IN ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'RETURNED'))
  ),
  CONSTRAINT filings_approved_when_filed CHECK (
    (approved_revision IS NULL) = (state IN ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'RETURNED'))
  ),
  CONSTRAINT filings_reviewer_not_submitter CHECK (reviewer IS NULL OR reviewer <> submitted_by)
);

CREATE INDEX filings_state_idx ON catalog.filings (state, risk_category);
CREATE INDEX filings_owner_idx ON catalog.filings (owner_department);
CREATE INDEX filings_review_idx ON catalog.filings (next_review_at) WHERE state IN ('FILED', 'PILOT', 'IN_SERVICE', 'CHANGE_PENDING', 'SUSPENDED');

CREATE TABLE catalog.filing_revisions (
  filing_id text NOT NULL REFERENCES catalog.filings (id),
  revision integer NOT NULL CHECK (revision > 0),
  purpose_and_impact text NOT NULL,
  operating_logic text NOT NULL,
  inputs text[] NOT NULL,
  outputs text[] NOT NULL,
  legal_basis text NOT NULL,
  human_oversight text NOT NULL,
  self_assessment text NOT NULL,
  model_versions text[] NOT NULL,
  deployment_endpoint text NOT NULL,
  evidence jsonb NOT NULL CHECK (jsonb_typeof(evidence) = 'array'),
  created_by text NOT NULL CHECK (created_by <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (filing_id, revision)
);

CREATE TABLE catalog.filing_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  filing_id text NOT NULL REFERENCES catalog.filings (id),
  action text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  actor text NOT NULL CHECK (actor <> ''),
  actor_department text NOT NULL CHECK (actor_department <> ''),
  comment text,
  revision integer NOT NULL CHECK (revision > 0),
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX filing_events_filing_idx ON catalog.filing_events (filing_id, seq);

-- The history is append-only inside the database too (the body's semicolon
-- is the octal escape \073: the migration runner splits on semicolons).
CREATE FUNCTION catalog.refuse_history_change() RETURNS trigger
  LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''%.% is append-only: % refused'', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER filing_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON catalog.filing_events
  FOR EACH STATEMENT EXECUTE FUNCTION catalog.refuse_history_change();

-- What the annual re-review job told whom; one per filing, recipient and
-- due date, so that a job run twice notifies once.
CREATE TABLE catalog.notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  filing_id text NOT NULL REFERENCES catalog.filings (id),
  kind text NOT NULL CHECK (kind IN ('ANNUAL_REVIEW_DUE')),
  recipient text NOT NULL CHECK (recipient <> ''),
  due_at timestamptz NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  UNIQUE (filing_id, kind, recipient, due_at)
)
