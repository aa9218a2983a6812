-- 生态环境局: monitoring sections and readings, pollution sources, incidents.
CREATE TABLE environment.sections (
  id text PRIMARY KEY,
  name text NOT NULL,
  river_id text NOT NULL,
  river_km double precision NOT NULL,
  region_code text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  target_class text NOT NULL CHECK (target_class IN ('I', 'II', 'III', 'IV', 'V'))
);
CREATE INDEX sections_river_idx ON environment.sections (river_id, river_km);
CREATE INDEX sections_region_idx ON environment.sections (region_code text_pattern_ops);

CREATE TABLE environment.readings (
  section_id text NOT NULL REFERENCES environment.sections (id),
  parameter text NOT NULL,
  measured_at timestamptz NOT NULL,
  value double precision NOT NULL,
  PRIMARY KEY (section_id, parameter, measured_at)
);
CREATE INDEX readings_section_time_idx ON environment.readings (section_id, measured_at DESC);

CREATE TABLE environment.pollution_sources (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('INDUSTRIAL_ENTERPRISE', 'WASTEWATER_PLANT', 'LIVESTOCK_FARM')),
  credit_code text NOT NULL,
  river_id text NOT NULL,
  river_km double precision NOT NULL,
  region_code text NOT NULL,
  permit_number text NOT NULL
);
CREATE INDEX pollution_sources_river_idx ON environment.pollution_sources (river_id, river_km);
CREATE INDEX pollution_sources_enterprise_idx ON environment.pollution_sources (credit_code);

CREATE TABLE environment.discharge_records (
  id text PRIMARY KEY,
  source_id text NOT NULL REFERENCES environment.pollution_sources (id),
  recorded_at timestamptz NOT NULL,
  pollutant text NOT NULL,
  concentration double precision NOT NULL,
  unit text NOT NULL,
  permitted_limit double precision NOT NULL
);
CREATE INDEX discharge_records_source_idx ON environment.discharge_records (source_id, recorded_at DESC);

CREATE TABLE environment.incidents (
  id text PRIMARY KEY,
  kind text NOT NULL,
  description text NOT NULL,
  river_id text NOT NULL,
  river_km double precision NOT NULL,
  region_code text NOT NULL,
  area_sqm double precision NOT NULL,
  detected_at timestamptz NOT NULL
);
CREATE INDEX incidents_region_idx ON environment.incidents (region_code text_pattern_ops);
