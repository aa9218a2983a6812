-- 市场监管局: the enterprise register, licences and violations.
CREATE TABLE market.enterprises (
  credit_code text PRIMARY KEY CHECK (length(credit_code) = 18),
  name text NOT NULL,
  industry text NOT NULL,
  status text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED', 'DEREGISTERED')),
  registered_capital_wan double precision NOT NULL,
  established_on date NOT NULL,
  address text NOT NULL,
  region_code text NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  legal_rep_person_id text NOT NULL,
  credit_grade text NOT NULL CHECK (credit_grade IN ('A', 'B', 'C', 'D')),
  licence_number text NOT NULL,
  licence_issued_on date NOT NULL,
  licence_valid_until date,
  business_scope text NOT NULL,
  issuing_authority text NOT NULL
);
CREATE INDEX enterprises_region_idx ON market.enterprises (region_code text_pattern_ops);
CREATE INDEX enterprises_legal_rep_idx ON market.enterprises (legal_rep_person_id);

CREATE TABLE market.violations (
  id text PRIMARY KEY,
  credit_code text NOT NULL REFERENCES market.enterprises (credit_code),
  occurred_on date NOT NULL,
  category text NOT NULL,
  description text NOT NULL,
  penalty text NOT NULL,
  fine_yuan double precision NOT NULL,
  rectified boolean NOT NULL
);
CREATE INDEX violations_enterprise_idx ON market.violations (credit_code, occurred_on DESC);
