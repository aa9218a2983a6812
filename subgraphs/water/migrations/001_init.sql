-- 水利局: rivers and their topology, hydrological stations, intakes.
CREATE TABLE water.rivers (
  id text PRIMARY KEY,
  name text NOT NULL,
  length_km double precision NOT NULL CHECK (length_km > 0),
  basin text NOT NULL,
  region_code text NOT NULL,
  parent_id text REFERENCES water.rivers (id),
  confluence_km double precision,
  CHECK ((parent_id IS NULL) = (confluence_km IS NULL))
);
CREATE INDEX rivers_parent_idx ON water.rivers (parent_id);
CREATE INDEX rivers_region_idx ON water.rivers (region_code text_pattern_ops);

CREATE TABLE water.stations (
  id text PRIMARY KEY,
  name text NOT NULL,
  river_id text NOT NULL REFERENCES water.rivers (id),
  river_km double precision NOT NULL,
  region_code text NOT NULL
);
CREATE INDEX stations_river_idx ON water.stations (river_id, river_km);

CREATE TABLE water.flow_readings (
  station_id text NOT NULL REFERENCES water.stations (id),
  measured_at timestamptz NOT NULL,
  flow_rate double precision NOT NULL,
  water_level double precision NOT NULL,
  velocity double precision NOT NULL,
  PRIMARY KEY (station_id, measured_at)
);

CREATE TABLE water.intakes (
  id text PRIMARY KEY,
  name text NOT NULL,
  river_id text NOT NULL REFERENCES water.rivers (id),
  river_km double precision NOT NULL,
  region_code text NOT NULL,
  population_served integer NOT NULL
);
CREATE INDEX intakes_river_idx ON water.intakes (river_id, river_km);
