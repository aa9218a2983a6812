import { DEPARTMENTS } from '../../policies/src/index.js';

/**
 * The rows the seeds write, one interface per table, with the column names
 * of the departments' migrations (`subgraphs/<department>/migrations`).
 * Dates are `YYYY-MM-DD`, timestamps ISO 8601 with the +08:00 offset, `jsonb`
 * columns plain objects and `text[]` columns string arrays.
 */
import type { RiskItemStream } from './world/RiskItemStream.js';

/** Level of an administrative region. */
export type RegionLevel = 'CITY' | 'DISTRICT' | 'STREET' | 'GRID';

/** enforcement.regions */
export interface RegionRow {
  code: string;
  name: string;
  full_name: string;
  level: RegionLevel;
  kind: string;
  parent_code: string | null;
  latitude: number;
  longitude: number;
}

/** publicsecurity.persons */
export interface PersonRow {
  id: string;
  name: string;
  id_number: string;
  mobile: string;
  gender: 'FEMALE' | 'MALE';
  birth_date: string;
  household_address: string;
  region_code: string;
}

/** One element of crowd_observations.congestion_points. */
export interface CongestionPoint {
  name: string;
  latitude: number;
  longitude: number;
  density: number;
  level: 'WATCH' | 'WARNING' | 'CRITICAL';
}

/** publicsecurity.crowd_areas */
export interface CrowdAreaRow {
  id: string;
  name: string;
  region_code: string;
  latitude: number;
  longitude: number;
  safe_capacity: number;
}

/** publicsecurity.crowd_observations */
export interface CrowdObservationRow {
  area_id: string;
  observed_at: string;
  current_count: number;
  visitors_today: number;
  congestion_points: CongestionPoint[];
}

/** Registration status of an enterprise. */
export type EnterpriseStatus =
  'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'DEREGISTERED';

/** market.enterprises */
export interface EnterpriseRow {
  credit_code: string;
  name: string;
  industry: string;
  status: EnterpriseStatus;
  registered_capital_wan: number;
  established_on: string;
  address: string;
  region_code: string;
  latitude: number;
  longitude: number;
  legal_rep_person_id: string;
  credit_grade: 'A' | 'B' | 'C' | 'D';
  licence_number: string;
  licence_issued_on: string;
  licence_valid_until: string | null;
  business_scope: string;
  issuing_authority: string;
}

/** market.violations */
export interface ViolationRow {
  id: string;
  credit_code: string;
  occurred_on: string;
  category: string;
  description: string;
  penalty: string;
  fine_yuan: number;
  rectified: boolean;
}

/** water.rivers */
export interface RiverRow {
  id: string;
  name: string;
  length_km: number;
  basin: string;
  region_code: string;
  parent_id: string | null;
  confluence_km: number | null;
}

/** water.stations */
export interface StationRow {
  id: string;
  name: string;
  river_id: string;
  river_km: number;
  region_code: string;
}

/** water.flow_readings */
export interface FlowReadingRow {
  station_id: string;
  measured_at: string;
  flow_rate: number;
  water_level: number;
  velocity: number;
}

/** water.intakes */
export interface IntakeRow {
  id: string;
  name: string;
  river_id: string;
  river_km: number;
  region_code: string;
  population_served: number;
}

/** GB 3838-2002 water-quality class. */
export type TargetClass = 'I' | 'II' | 'III' | 'IV' | 'V';

/** environment.sections */
export interface SectionRow {
  id: string;
  name: string;
  river_id: string;
  river_km: number;
  region_code: string;
  latitude: number;
  longitude: number;
  target_class: TargetClass;
}

/** The six parameters monitored at every section. */
export type WaterParameter =
  | 'DISSOLVED_OXYGEN'
  | 'AMMONIA_NITROGEN'
  | 'PERMANGANATE_INDEX'
  | 'TOTAL_PHOSPHORUS'
  | 'PETROLEUM'
  | 'PH';

/** environment.readings */
export interface ReadingRow {
  section_id: string;
  parameter: WaterParameter;
  measured_at: string;
  value: number;
}

/** What kind of pollution source. */
export type PollutionSourceKind =
  'INDUSTRIAL_ENTERPRISE' | 'WASTEWATER_PLANT' | 'LIVESTOCK_FARM';

/** environment.pollution_sources */
export interface PollutionSourceRow {
  id: string;
  name: string;
  kind: PollutionSourceKind;
  credit_code: string;
  river_id: string;
  river_km: number;
  region_code: string;
  permit_number: string;
}

/** environment.discharge_records */
export interface DischargeRecordRow {
  id: string;
  source_id: string;
  recorded_at: string;
  pollutant: string;
  concentration: number;
  unit: string;
  permitted_limit: number;
}

/** environment.incidents */
export interface IncidentRow {
  id: string;
  kind: string;
  description: string;
  river_id: string;
  river_km: number;
  region_code: string;
  area_sqm: number;
  detected_at: string;
}

/** enforcement.squads */
export interface SquadRow {
  id: string;
  name: string;
  region_code: string;
  latitude: number;
  longitude: number;
  member_count: number;
  leader_person_id: string;
  duty_phone: string;
}

/** Handling status of a complaint. */
export type ComplaintStatus = 'RECEIVED' | 'DISPATCHED' | 'RESOLVED' | 'CLOSED';

/** enforcement.complaints */
export interface ComplaintRow {
  id: string;
  channel: string;
  summary: string;
  received_at: string;
  address: string;
  latitude: number;
  longitude: number;
  region_code: string;
  complainant_person_id: string;
  status: ComplaintStatus;
  assigned_squad_id: string | null;
  dispatched_at: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

/** enforcement.complaint_merchants */
export interface ComplaintMerchantRow {
  complaint_id: string;
  credit_code: string;
}

/** enforcement.inspections */
export interface InspectionRow {
  id: string;
  credit_code: string;
  inspected_on: string;
  squad_id: string;
  result: 'COMPLIANT' | 'RECTIFICATION_ORDERED' | 'PENALTY_REFERRED';
  findings: string;
}

/** emergency.risk_categories */
export interface RiskCategoryRow {
  code: string;
  name: string;
  domain: string;
}

/** Warning level of an alert (蓝/黄/橙/红). */
export type AlertLevel = 'BLUE' | 'YELLOW' | 'ORANGE' | 'RED';

/** One element of risk_items.thresholds. */
export interface RiskThreshold {
  metric: string;
  comparator: 'LT' | 'LTE' | 'GT' | 'GTE';
  value: number;
  unit: string;
  windowDays: number;
  alertLevel: AlertLevel;
}

/** emergency.risk_items */
export interface RiskItemRow {
  id: string;
  name: string;
  category_code: string;
  level: 'MAJOR' | 'HIGH' | 'MODERATE' | 'LOW';
  region_code: string;
  address: string;
  latitude: number;
  longitude: number;
  credit_code: string | null;
  section_id: string | null;
  thresholds: RiskThreshold[];
  disposal_measures: string[];
  responsible_person_id: string;
  updated_at: string;
}

/** Lifecycle status of an alert: NEW → ACKNOWLEDGED → DISPOSED → CLOSED. */
export type AlertStatus = 'NEW' | 'ACKNOWLEDGED' | 'DISPOSED' | 'CLOSED';

/**
 * emergency.alerts, with the lifecycle columns of the alerting migration
 * (`002_alerting.sql`): each timestamp is set once the alert has reached its
 * status, and `rule` is the threshold a generated alert was raised from, as
 * the alert evaluator stores it (null for an alert raised by hand).
 */
export interface AlertRow {
  id: string;
  risk_item_id: string;
  level: AlertLevel;
  status: AlertStatus;
  title: string;
  message: string;
  raised_at: string;
  region_code: string;
  section_id: string | null;
  suspected_credit_codes: string[];
  notified_parties: string[];
  rule: RiskThreshold | null;
  acknowledged_at: string | null;
  disposed_at: string | null;
  closed_at: string | null;
}

/**
 * emergency.alert_events: an alert's lifecycle history, oldest first — the
 * event that raised it (`from_status` null → NEW), then one per step. `id`
 * is a bigserial: the database numbers the rows in insertion order.
 */
export interface AlertEventRow {
  alert_id: string;
  from_status: AlertStatus | null;
  to_status: AlertStatus;
  /** The subject of whoever took the step (`alert-evaluator`, a person id, a user). */
  actor: string;
  comment: string | null;
  at: string;
}

/**
 * Every table the seeds fill, keyed `schema.table`. All are arrays except
 * `emergency.risk_items`, a lazy, restartable stream (520,000 rows at city
 * scale are generated chunk by chunk rather than held in memory).
 */
export interface WorldTables {
  'enforcement.regions': readonly RegionRow[];
  'publicsecurity.persons': readonly PersonRow[];
  'publicsecurity.crowd_areas': readonly CrowdAreaRow[];
  'publicsecurity.crowd_observations': readonly CrowdObservationRow[];
  'market.enterprises': readonly EnterpriseRow[];
  'market.violations': readonly ViolationRow[];
  'water.rivers': readonly RiverRow[];
  'water.stations': readonly StationRow[];
  'water.flow_readings': readonly FlowReadingRow[];
  'water.intakes': readonly IntakeRow[];
  'environment.sections': readonly SectionRow[];
  'environment.readings': readonly ReadingRow[];
  'environment.pollution_sources': readonly PollutionSourceRow[];
  'environment.discharge_records': readonly DischargeRecordRow[];
  'environment.incidents': readonly IncidentRow[];
  'enforcement.squads': readonly SquadRow[];
  'enforcement.complaints': readonly ComplaintRow[];
  'enforcement.complaint_merchants': readonly ComplaintMerchantRow[];
  'enforcement.inspections': readonly InspectionRow[];
  'emergency.risk_categories': readonly RiskCategoryRow[];
  'emergency.risk_items': RiskItemStream;
  'emergency.alerts': readonly AlertRow[];
  'emergency.alert_events': readonly AlertEventRow[];
}

/** `schema.table` of every seeded table. */
export type TableName = keyof WorldTables;

/** The row type of a table. */
export type RowOf<T extends TableName> =
  WorldTables[T] extends Iterable<infer R> ? R : never;

/** The departments (PostgreSQL schemas) whose tables the seeds fill. */
export const DEPARTMENT_SCHEMAS = DEPARTMENTS;

/**
 * Tables in insertion order: parents before children, so that every
 * foreign key of the migrations is satisfied as rows arrive.
 */
export const TABLE_ORDER: readonly TableName[] = [
  'enforcement.regions',
  'publicsecurity.persons',
  'publicsecurity.crowd_areas',
  'publicsecurity.crowd_observations',
  'market.enterprises',
  'market.violations',
  'water.rivers',
  'water.stations',
  'water.flow_readings',
  'water.intakes',
  'environment.sections',
  'environment.readings',
  'environment.pollution_sources',
  'environment.discharge_records',
  'environment.incidents',
  'enforcement.squads',
  'enforcement.complaints',
  'enforcement.complaint_merchants',
  'enforcement.inspections',
  'emergency.risk_categories',
  'emergency.risk_items',
  'emergency.alerts',
  'emergency.alert_events',
];

/** The columns of each table, in the order the COPY and INSERTs list them. */
export const TABLE_COLUMNS: {
  readonly [T in TableName]: readonly (keyof RowOf<T> & string)[];
} = {
  'enforcement.regions': [
    'code',
    'name',
    'full_name',
    'level',
    'kind',
    'parent_code',
    'latitude',
    'longitude',
  ],
  'publicsecurity.persons': [
    'id',
    'name',
    'id_number',
    'mobile',
    'gender',
    'birth_date',
    'household_address',
    'region_code',
  ],
  'publicsecurity.crowd_areas': [
    'id',
    'name',
    'region_code',
    'latitude',
    'longitude',
    'safe_capacity',
  ],
  'publicsecurity.crowd_observations': [
    'area_id',
    'observed_at',
    'current_count',
    'visitors_today',
    'congestion_points',
  ],
  'market.enterprises': [
    'credit_code',
    'name',
    'industry',
    'status',
    'registered_capital_wan',
    'established_on',
    'address',
    'region_code',
    'latitude',
    'longitude',
    'legal_rep_person_id',
    'credit_grade',
    'licence_number',
    'licence_issued_on',
    'licence_valid_until',
    'business_scope',
    'issuing_authority',
  ],
  'market.violations': [
    'id',
    'credit_code',
    'occurred_on',
    'category',
    'description',
    'penalty',
    'fine_yuan',
    'rectified',
  ],
  'water.rivers': [
    'id',
    'name',
    'length_km',
    'basin',
    'region_code',
    'parent_id',
    'confluence_km',
  ],
  'water.stations': ['id', 'name', 'river_id', 'river_km', 'region_code'],
  'water.flow_readings': [
    'station_id',
    'measured_at',
    'flow_rate',
    'water_level',
    'velocity',
  ],
  'water.intakes': [
    'id',
    'name',
    'river_id',
    'river_km',
    'region_code',
    'population_served',
  ],
  'environment.sections': [
    'id',
    'name',
    'river_id',
    'river_km',
    'region_code',
    'latitude',
    'longitude',
    'target_class',
  ],
  'environment.readings': ['section_id', 'parameter', 'measured_at', 'value'],
  'environment.pollution_sources': [
    'id',
    'name',
    'kind',
    'credit_code',
    'river_id',
    'river_km',
    'region_code',
    'permit_number',
  ],
  'environment.discharge_records': [
    'id',
    'source_id',
    'recorded_at',
    'pollutant',
    'concentration',
    'unit',
    'permitted_limit',
  ],
  'environment.incidents': [
    'id',
    'kind',
    'description',
    'river_id',
    'river_km',
    'region_code',
    'area_sqm',
    'detected_at',
  ],
  'enforcement.squads': [
    'id',
    'name',
    'region_code',
    'latitude',
    'longitude',
    'member_count',
    'leader_person_id',
    'duty_phone',
  ],
  'enforcement.complaints': [
    'id',
    'channel',
    'summary',
    'received_at',
    'address',
    'latitude',
    'longitude',
    'region_code',
    'complainant_person_id',
    'status',
    'assigned_squad_id',
    'dispatched_at',
    'resolved_at',
    'resolution',
  ],
  'enforcement.complaint_merchants': ['complaint_id', 'credit_code'],
  'enforcement.inspections': [
    'id',
    'credit_code',
    'inspected_on',
    'squad_id',
    'result',
    'findings',
  ],
  'emergency.risk_categories': ['code', 'name', 'domain'],
  'emergency.risk_items': [
    'id',
    'name',
    'category_code',
    'level',
    'region_code',
    'address',
    'latitude',
    'longitude',
    'credit_code',
    'section_id',
    'thresholds',
    'disposal_measures',
    'responsible_person_id',
    'updated_at',
  ],
  'emergency.alerts': [
    'id',
    'risk_item_id',
    'level',
    'status',
    'title',
    'message',
    'raised_at',
    'region_code',
    'section_id',
    'suspected_credit_codes',
    'notified_parties',
    'rule',
    'acknowledged_at',
    'disposed_at',
    'closed_at',
  ],
  'emergency.alert_events': [
    'alert_id',
    'from_status',
    'to_status',
    'actor',
    'comment',
    'at',
  ],
};

/**
 * `jsonb` columns: sent as JSON text (read as it is by COPY, cast by the
 * INSERTs); `null` is SQL NULL, not the JSON `null`.
 */
export const JSON_COLUMNS: ReadonlySet<string> = new Set([
  'publicsecurity.crowd_observations.congestion_points',
  'emergency.risk_items.thresholds',
  'emergency.alerts.rule',
]);
