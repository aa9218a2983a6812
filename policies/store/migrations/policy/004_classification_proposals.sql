-- Classification proposals (subgraphs/governance): a change of field
-- classification tags that other departments' decisions depend on — a
-- field they resolve too, or a tag one of their ACTIVE entries selects —
-- waits here until the data officer of every affected department (never
-- its author) approved it; only then are the tags stored in
-- policy.field_classifications, in the approving transaction, and the
-- policy version changes. Nothing here is part of the policy a gateway
-- loads, so these tables do not notify.

CREATE TABLE policy.classification_proposals (
  id text PRIMARY KEY CHECK (id ~ '^CP-[0-9]{4}-[0-9]+$'),
  -- Counts every change; a write naming an older revision is refused.
  revision integer NOT NULL DEFAULT 1 CHECK (revision > 0),
  status text NOT NULL CHECK (status IN ('PENDING', 'APPLIED', 'REJECTED', 'WITHDRAWN')),
  author text NOT NULL CHECK (author <> ''),
  author_department text NOT NULL CHECK (author_department <> ''),
  proposed_at timestamptz NOT NULL,
  -- One object per field: coordinate, owners, sdlTags, tagsBefore,
  -- tagsAfter, added, removed, coverageChanges, affected.
  changes jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'array' AND jsonb_array_length(changes) > 0),
  coordinates text[] NOT NULL CHECK (cardinality(coordinates) > 0),
  -- The departments that must approve, with why: [{department, reasons}].
  affected jsonb NOT NULL CHECK (jsonb_typeof(affected) = 'array'),
  departments text[] NOT NULL CHECK (cardinality(departments) > 0),
  -- Those of them that have not approved yet.
  awaiting text[] NOT NULL,
  decided_by text,
  decided_at timestamptz,
  decision_reason text,
  -- The policy version the approval that applied it published.
  policy_version text,
  CONSTRAINT classification_proposals_four_eyes CHECK (decided_by IS NULL OR decided_by <> author),
  CONSTRAINT classification_proposals_awaiting CHECK (awaiting <@ departments),
  CONSTRAINT classification_proposals_pending CHECK (status <> 'PENDING' OR cardinality(awaiting) > 0),
  CONSTRAINT classification_proposals_applied CHECK (status <> 'APPLIED' OR (cardinality(awaiting) = 0 AND policy_version IS NOT NULL AND decided_by IS NOT NULL)),
  CONSTRAINT classification_proposals_rejection_reason CHECK (status <> 'REJECTED' OR btrim(coalesce(decision_reason, '')) <> ''),
  CONSTRAINT classification_proposals_decided CHECK ((status = 'PENDING') = (decided_at IS NULL))
);

CREATE INDEX classification_proposals_status_idx
  ON policy.classification_proposals (status, proposed_at, id);
CREATE INDEX classification_proposals_coordinates_idx
  ON policy.classification_proposals USING gin (coordinates);

-- Every change of every proposal, oldest first: append-only. An APPROVED
-- row names the department approved for (the city data authority's one
-- approval gives a row per department it approved for).
CREATE TABLE policy.classification_proposal_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  proposal_id text NOT NULL REFERENCES policy.classification_proposals (id),
  action text NOT NULL CHECK (action IN ('PROPOSED', 'APPROVED', 'AWAITS_MORE', 'APPLIED', 'REJECTED', 'WITHDRAWN')),
  department text,
  actor text NOT NULL CHECK (actor <> ''),
  actor_department text NOT NULL CHECK (actor_department <> ''),
  comment text,
  revision integer NOT NULL CHECK (revision > 0),
  at timestamptz NOT NULL,
  CONSTRAINT classification_proposal_events_department CHECK ((action = 'APPROVED') = (department IS NOT NULL))
);

CREATE INDEX classification_proposal_events_proposal_idx
  ON policy.classification_proposal_events (proposal_id, seq);

CREATE TRIGGER classification_proposal_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON policy.classification_proposal_events
  FOR EACH STATEMENT EXECUTE FUNCTION policy.refuse_history_change()
