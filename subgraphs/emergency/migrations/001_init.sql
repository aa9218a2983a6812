-- 应急管理局: risk categories, the risk inventory, alerts.
CREATE TABLE emergency.risk_categories (
  code text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  domain text NOT NULL
);

CREATE TABLE emergency.risk_items (
  id text PRIMARY KEY,
  name text NOT NULL,
  category_code text NOT NULL REFERENCES emergency.risk_categories (code),
  level text NOT NULL CHECK (level IN ('MAJOR', 'HIGH', 'MODERATE', 'LOW')),
  region_code text NOT NULL,
  address text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  credit_code text,
  section_id text,
  -- [{ metric, comparator, value, unit, windowDays, alertLevel }]
  thresholds jsonb NOT NULL,
  disposal_measures text[] NOT NULL,
  responsible_person_id text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX risk_items_region_idx ON emergency.risk_items (region_code text_pattern_ops);
CREATE INDEX risk_items_category_idx ON emergency.risk_items (category_code);
CREATE INDEX risk_items_enterprise_idx ON emergency.risk_items (credit_code);
CREATE INDEX risk_items_person_idx ON emergency.risk_items (responsible_person_id);

CREATE TABLE emergency.alerts (
  id text PRIMARY KEY,
  risk_item_id text NOT NULL REFERENCES emergency.risk_items (id),
  level text NOT NULL CHECK (level IN ('BLUE', 'YELLOW', 'ORANGE', 'RED')),
  status text NOT NULL CHECK (status IN ('NEW', 'ACKNOWLEDGED', 'DISPOSED', 'CLOSED')),
  title text NOT NULL,
  message text NOT NULL,
  raised_at timestamptz NOT NULL,
  region_code text NOT NULL,
  section_id text,
  suspected_credit_codes text[] NOT NULL DEFAULT '{}',
  notified_parties text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX alerts_region_idx ON emergency.alerts (region_code text_pattern_ops);
CREATE INDEX alerts_risk_item_idx ON emergency.alerts (risk_item_id);
CREATE INDEX alerts_section_idx ON emergency.alerts (section_id);
