-- Row scope: stations and intakes are matched by region prefix
-- (region_code LIKE prefix || '%'), which these indexes answer.
CREATE INDEX stations_region_idx ON water.stations (region_code text_pattern_ops);
CREATE INDEX intakes_region_idx ON water.intakes (region_code text_pattern_ops);
