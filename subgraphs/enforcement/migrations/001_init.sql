-- 综合执法局: administrative regions and grids, squads, complaints, inspections.
CREATE TABLE enforcement.regions (
  code text PRIMARY KEY,
  name text NOT NULL,
  full_name text NOT NULL,
  level text NOT NULL CHECK (level IN ('CITY', 'DISTRICT', 'STREET', 'GRID')),
  kind text NOT NULL,
  parent_code text REFERENCES enforcement.regions (code),
  latitude double precision NOT NULL,
  longitude double precision NOT NULL
);
CREATE INDEX regions_parent_idx ON enforcement.regions (parent_code, code);
CREATE INDEX regions_code_prefix_idx ON enforcement.regions (code text_pattern_ops);

CREATE TABLE enforcement.squads (
  id text PRIMARY KEY,
  name text NOT NULL,
  region_code text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  member_count integer NOT NULL CHECK (member_count > 0),
  leader_person_id text NOT NULL,
  duty_phone text NOT NULL
);
CREATE INDEX squads_region_idx ON enforcement.squads (region_code text_pattern_ops);

CREATE TABLE enforcement.complaints (
  id text PRIMARY KEY,
  channel text NOT NULL,
  summary text NOT NULL,
  received_at timestamptz NOT NULL,
  address text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  region_code text NOT NULL,
  complainant_person_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('RECEIVED', 'DISPATCHED', 'RESOLVED', 'CLOSED')),
  assigned_squad_id text REFERENCES enforcement.squads (id),
  dispatched_at timestamptz,
  resolved_at timestamptz,
  resolution text
);
CREATE INDEX complaints_region_idx ON enforcement.complaints (region_code text_pattern_ops);

CREATE TABLE enforcement.complaint_merchants (
  complaint_id text NOT NULL REFERENCES enforcement.complaints (id),
  credit_code text NOT NULL,
  PRIMARY KEY (complaint_id, credit_code)
);

CREATE TABLE enforcement.inspections (
  id text PRIMARY KEY,
  credit_code text NOT NULL,
  inspected_on date NOT NULL,
  squad_id text NOT NULL REFERENCES enforcement.squads (id),
  result text NOT NULL CHECK (result IN ('COMPLIANT', 'RECTIFICATION_ORDERED', 'PENALTY_REFERRED')),
  findings text NOT NULL
);
CREATE INDEX inspections_enterprise_idx ON enforcement.inspections (credit_code, inspected_on DESC);
