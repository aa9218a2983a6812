-- Row scope: persons are matched by the region prefix of their residence
-- (region_code LIKE prefix || '%'), which this index answers.
CREATE INDEX persons_region_idx ON publicsecurity.persons (region_code text_pattern_ops);
