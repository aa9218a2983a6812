-- 公安局: the person register and aggregate crowd observations.
CREATE TABLE publicsecurity.persons (
  id text PRIMARY KEY,
  name text NOT NULL,
  id_number text NOT NULL UNIQUE CHECK (length(id_number) = 18),
  mobile text NOT NULL,
  gender text NOT NULL CHECK (gender IN ('FEMALE', 'MALE')),
  birth_date date NOT NULL,
  household_address text NOT NULL,
  region_code text NOT NULL
);

CREATE TABLE publicsecurity.crowd_areas (
  id text PRIMARY KEY,
  name text NOT NULL,
  region_code text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  safe_capacity integer NOT NULL
);
CREATE INDEX crowd_areas_region_idx ON publicsecurity.crowd_areas (region_code text_pattern_ops);

CREATE TABLE publicsecurity.crowd_observations (
  area_id text NOT NULL REFERENCES publicsecurity.crowd_areas (id),
  observed_at timestamptz NOT NULL,
  current_count integer NOT NULL,
  visitors_today integer NOT NULL,
  -- [{ name, latitude, longitude, density, level }]
  congestion_points jsonb NOT NULL,
  PRIMARY KEY (area_id, observed_at)
);
