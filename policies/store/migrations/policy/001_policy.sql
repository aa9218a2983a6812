-- The gateway's policy store (schema policy): the negative list (数据共享负面清单)
-- as immutable entry versions, the grants issued under its CONDITIONAL
-- entries, the CASL rules of each role, and the binding of each algorithm
-- filing (算法备案) to the inputs it may read. The gateway loads all of it in
-- one consistent read into one versioned policy snapshot
-- (gateway/src/policyStore). Constraints refuse what is never valid; the
-- loader validates the JSON shapes.

-- One row per version of a negative-list entry; versions are immutable and
-- at most one version of an entry is ACTIVE. Published versions (ACTIVE,
-- SUPERSEDED, REVOKED) carry an approver, who is never the author.
CREATE TABLE policy.negative_list_entries (
  id text NOT NULL CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  version integer NOT NULL CHECK (version > 0),
  owner_department text NOT NULL CHECK (owner_department <> ''),
  status text NOT NULL CHECK (status IN ('DRAFT', 'IN_REVIEW', 'ACTIVE', 'SUPERSEDED', 'REVOKED')),
  priority integer NOT NULL DEFAULT 0,
  share_class text NOT NULL CHECK (share_class IN ('CONDITIONAL', 'NOT_SHARED')),
  legal_basis text NOT NULL CHECK (btrim(legal_basis) <> ''),
  reason text NOT NULL CHECK (btrim(reason) <> ''),
  selector jsonb NOT NULL CHECK (jsonb_typeof(selector) = 'object'),
  conditions jsonb CHECK (conditions IS NULL OR jsonb_typeof(conditions) = 'object'),
  exceptions jsonb CHECK (exceptions IS NULL OR jsonb_typeof(exceptions) = 'object'),
  valid_from timestamptz,
  valid_until timestamptz,
  author text NOT NULL CHECK (author <> ''),
  approver text CHECK (approver <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version),
  CONSTRAINT negative_list_entries_four_eyes CHECK (approver IS NULL OR approver <> author),
  CONSTRAINT negative_list_entries_published_approved CHECK (status IN ('DRAFT', 'IN_REVIEW') OR approver IS NOT NULL),
  CONSTRAINT negative_list_entries_window CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)
);

CREATE UNIQUE INDEX negative_list_entries_one_active_idx
  ON policy.negative_list_entries (id) WHERE status = 'ACTIVE';

-- Approved share requests: one consumer department may read some
-- coordinates of a CONDITIONAL entry (any version, by id) for one purpose
-- until expires_at, unless revoked.
CREATE TABLE policy.grants (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  entry_id text NOT NULL,
  consumer_department text NOT NULL CHECK (consumer_department <> ''),
  purpose text NOT NULL CHECK (purpose <> ''),
  coordinates text[] NOT NULL CHECK (cardinality(coordinates) > 0),
  masks jsonb CHECK (masks IS NULL OR jsonb_typeof(masks) = 'object'),
  row_filter jsonb CHECK (row_filter IS NULL OR jsonb_typeof(row_filter) = 'object'),
  valid_from timestamptz,
  expires_at timestamptz NOT NULL,
  revoked boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT grants_window CHECK (valid_from IS NULL OR valid_from < expires_at)
);

CREATE INDEX grants_entry_idx ON policy.grants (entry_id);

-- Roles, and each role's CASL rules in order (a later rule wins in CASL).
-- action, subject and fields are a string or an array of strings, as CASL
-- raw rules take them.
CREATE TABLE policy.roles (
  name text PRIMARY KEY CHECK (name <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policy.role_rules (
  role text NOT NULL REFERENCES policy.roles (name) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 0),
  action jsonb NOT NULL CHECK (jsonb_typeof(action) IN ('string', 'array')),
  subject jsonb NOT NULL CHECK (jsonb_typeof(subject) IN ('string', 'array')),
  fields jsonb CHECK (fields IS NULL OR jsonb_typeof(fields) IN ('string', 'array')),
  conditions jsonb CHECK (conditions IS NULL OR jsonb_typeof(conditions) = 'object'),
  inverted boolean NOT NULL DEFAULT false,
  reason text,
  PRIMARY KEY (role, position)
);

-- What each algorithm filing may read, as the registry last bound it: its
-- state and filed inputs (schema coordinates). revision counts the changes
-- of state or inputs.
CREATE TABLE policy.algorithm_bindings (
  filing_id text PRIMARY KEY CHECK (filing_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
  state text NOT NULL CHECK (state IN ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'RETURNED', 'FILED', 'PILOT', 'IN_SERVICE', 'CHANGE_PENDING', 'SUSPENDED', 'RETIRED')),
  inputs text[] NOT NULL,
  revision integer NOT NULL DEFAULT 1 CHECK (revision > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
)
