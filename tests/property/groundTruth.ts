// The oracle's map from schema coordinates to the department tables that
// hold their true values, and the reading of those values straight from the
// test database, as the owning department holds them. This is the one place
// the property test knows how the graph is stored; `oracleGaps` makes the
// test fail when a coordinate the policy withholds or masks has no entry
// here, so that the oracle cannot fall behind the policy silently.
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  type GraphQLSchema,
} from 'graphql';

import type { Queryable } from '../../subgraphs/kit/src/index.js';

/** A value that has no row of its own in any table, and why. */
export interface Derived {
  readonly derived: string;
}

/**
 * How the values of one field are read: a column of the type's table
 * (alias `t`), or a whole statement whose one column `v` lists them.
 */
export type ValueSource =
  { readonly column: string } | { readonly sql: string };

/** Where one GraphQL type's rows are, for values and for row scope. */
export interface TypeTable {
  /** `schema.table`, read with alias `t`. */
  readonly table: string;
  /** The field that identifies a row in responses, and its column. */
  readonly key?: { readonly field: string; readonly column: string };
  /**
   * SQL over alias `t` giving the row's administrative region code, when
   * the department scopes the type by region (see the subgraphs'
   * `*_SCOPE` row-scope columns). Absent: the type is public geography or
   * follows its parent's scope.
   */
  readonly region?: string;
  /** Attributes grant row filters may name, as SQL over alias `t`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Fields whose column is not the field's name in snake_case. */
  readonly fields?: Readonly<Record<string, ValueSource | Derived>>;
}

const PER_REQUEST = 'computed per request; not stored';

/**
 * The department tables behind the graph's types. A field maps to the
 * column named like it in snake_case unless `fields` says otherwise; the
 * column must exist (checked against the database) or the coordinate
 * counts as a gap.
 */
export const TYPE_TABLES: Readonly<Record<string, TypeTable>> = {
  Alert: {
    table: 'emergency.alerts',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      level: 't.level',
      status: 't.status',
      riskItemId: 't.risk_item_id',
      sectionId: 't.section_id',
    },
    fields: { notifiedParties: { column: 'notified_parties' } },
  },
  AlertDelivery: {
    table: 'emergency.alert_deliveries',
    fields: {
      lastError: {
        derived: 'a fixed text per delivery state, never the raw error',
      },
    },
  },
  AlertEvent: { table: 'emergency.alert_events' },
  AlertWebhook: { table: 'emergency.alert_webhooks' },
  AlertWebhookRegistration: { table: 'emergency.alert_webhooks' },
  AlgorithmFiling: {
    table: 'catalog.filings',
    key: { field: 'id', column: 'id' },
  },
  AlgorithmNotification: { table: 'catalog.notifications' },
  AlgorithmRevision: { table: 'catalog.filing_revisions' },
  EvidenceDocument: {
    table: 'catalog.evidence_documents',
    fields: {
      // GraphQL's base64 has no line breaks; PostgreSQL's breaks at 76.
      contentBase64: {
        sql: `SELECT replace(encode(content, 'base64'), E'\\n', '') AS v
                FROM catalog.evidence_documents`,
      },
    },
  },
  BusinessLicence: {
    table: 'market.enterprises',
    fields: {
      number: { column: 'licence_number' },
      issuedOn: { column: 'licence_issued_on' },
      validUntil: { column: 'licence_valid_until' },
    },
  },
  Complaint: {
    table: 'enforcement.complaints',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      status: 't.status',
      channel: 't.channel',
    },
  },
  ClassificationProposal: {
    table: 'policy.classification_proposals',
    key: { field: 'id', column: 'id' },
  },
  ClassificationProposalEvent: {
    table: 'policy.classification_proposal_events',
  },
  CongestionPoint: {
    table: 'publicsecurity.crowd_observations',
    fields: {
      name: {
        sql: `SELECT p->>'name' AS v FROM publicsecurity.crowd_observations o,
                jsonb_array_elements(o.congestion_points) p`,
      },
    },
  },
  CrowdArea: {
    table: 'publicsecurity.crowd_areas',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: { id: 't.id', regionCode: 't.region_code' },
  },
  CrowdObservation: { table: 'publicsecurity.crowd_observations' },
  DischargeRecord: { table: 'environment.discharge_records' },
  DrinkingWaterIntake: {
    table: 'water.intakes',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      riverId: 't.river_id',
    },
  },
  EnforcementSquad: {
    table: 'enforcement.squads',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: { id: 't.id', regionCode: 't.region_code' },
  },
  Enterprise: {
    table: 'market.enterprises',
    key: { field: 'creditCode', column: 'credit_code' },
    region: 't.region_code',
    attributes: {
      regionCode: 't.region_code',
      creditCode: 't.credit_code',
      industry: 't.industry',
      status: 't.status',
      creditGrade: 't.credit_grade',
    },
  },
  EntryEvent: { table: 'policy.entry_events' },
  FieldReview: {
    table: 'policy.field_sightings',
    fields: {
      reviewedTags: {
        sql: 'SELECT unnest(tags) AS v FROM policy.field_classifications',
      },
      reviewedBy: {
        sql: 'SELECT reviewed_by AS v FROM policy.field_classifications',
      },
      reviewedAt: {
        sql: `SELECT to_char(reviewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS v
                FROM policy.field_classifications`,
      },
      sdlTags: { derived: 'the class: tags of the SDL, public schema text' },
    },
  },
  FilingEvent: { table: 'catalog.filing_events' },
  FlowReading: { table: 'water.flow_readings' },
  Grant: {
    table: 'policy.grants',
    key: { field: 'id', column: 'id' },
    fields: {
      ownerDepartment: {
        sql: 'SELECT owner_department AS v FROM policy.negative_list_entries',
      },
      rowFilter: { derived: 'the grant’s row filter rendered as JSON text' },
    },
  },
  HydrologicalStation: {
    table: 'water.stations',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      riverId: 't.river_id',
    },
  },
  Inspection: {
    table: 'enforcement.inspections',
    key: { field: 'id', column: 'id' },
    // An inspection is where its squad is stationed (INSPECTION_SCOPE).
    region:
      '(SELECT s.region_code FROM enforcement.squads s WHERE s.id = t.squad_id)',
    attributes: {
      id: 't.id',
      regionCode:
        '(SELECT s.region_code FROM enforcement.squads s WHERE s.id = t.squad_id)',
      result: 't.result',
      squadId: 't.squad_id',
      creditCode: 't.credit_code',
    },
  },
  MonitoringSection: {
    table: 'environment.sections',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      riverId: 't.river_id',
      targetClass: 't.target_class',
    },
  },
  NegativeListEntry: {
    table: 'policy.negative_list_entries',
    key: { field: 'id', column: 'id' },
  },
  NegativeListEntryVersion: {
    table: 'policy.negative_list_entries',
    fields: {
      coverage: { derived: 'the coordinates the selector covers, computed' },
    },
  },
  Person: {
    table: 'publicsecurity.persons',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: { regionCode: 't.region_code', gender: 't.gender' },
  },
  PollutionIncident: {
    table: 'environment.incidents',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      kind: 't.kind',
      riverId: 't.river_id',
    },
  },
  PollutionSource: {
    table: 'environment.pollution_sources',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      kind: 't.kind',
      creditCode: 't.credit_code',
      riverId: 't.river_id',
    },
  },
  PolicyVersion: { table: 'policy.publications' },
  PublicSecurityRecord: {
    table: 'publicsecurity.persons',
    fields: {
      id: {
        sql: `SELECT id AS v FROM publicsecurity.persons
              UNION ALL SELECT id FROM publicsecurity.crowd_areas`,
      },
      name: {
        sql: `SELECT name AS v FROM publicsecurity.persons
              UNION ALL SELECT name FROM publicsecurity.crowd_areas`,
      },
    },
  },
  Reading: {
    table: 'environment.readings',
    fields: { unit: { derived: 'the unit of the parameter, not stored' } },
  },
  Region: {
    table: 'enforcement.regions',
    key: { field: 'code', column: 'code' },
  },
  RiskCategory: {
    table: 'emergency.risk_categories',
    key: { field: 'code', column: 'code' },
  },
  RiskItem: {
    table: 'emergency.risk_items',
    key: { field: 'id', column: 'id' },
    region: 't.region_code',
    attributes: {
      id: 't.id',
      regionCode: 't.region_code',
      level: 't.level',
      categoryCode: 't.category_code',
      creditCode: 't.credit_code',
      sectionId: 't.section_id',
    },
    fields: {
      responsibleDepartment: {
        sql: 'SELECT responsible_department AS v FROM emergency.risk_categories',
      },
    },
  },
  // Rivers are shared topology across districts: no region scope.
  River: { table: 'water.rivers', key: { field: 'id', column: 'id' } },
  ShareRequest: {
    table: 'policy.share_requests',
    key: { field: 'id', column: 'id' },
  },
  TokenRevocation: {
    table: 'policy.token_revocations',
    fields: {
      id: { sql: 'SELECT seq::text AS v FROM policy.token_revocations' },
    },
  },
  Violation: { table: 'market.violations' },
};

/**
 * Types whose values have no row of their own: computed per request, or
 * parts of JSON documents of the policy store and the registry. Their
 * coordinates are checked structurally only (a withheld one must not be in
 * the response at all); the body search for withheld values cannot use
 * them.
 */
export const DERIVED_TYPES: Readonly<Record<string, string>> = {
  AccessLogChain: `a verification of the access log, ${PER_REQUEST}`,
  AccessLogCheckpoint: `a verification of the access log, ${PER_REQUEST}`,
  AccessLogHead: `a verification of the access log, ${PER_REQUEST}`,
  AccessLogProblem: `a verification of the access log, ${PER_REQUEST}`,
  AccessLogVerification: `a verification of the access log, ${PER_REQUEST}`,
  AccessRecord:
    'the access log, which every request of the run appends to: no ground truth fixed before it',
  AccessRecordConnection: `a page of the access log (its CSV), ${PER_REQUEST}`,
  AccessRecordRead: 'part of an access record’s jsonb read',
  AccessRecordWithheld: 'part of an access record’s jsonb withheld',
  AccessReportTotal: `a report over the access log, ${PER_REQUEST}`,
  AccessReport: `a report over the access log, ${PER_REQUEST}`,
  AccessReportRow: `a report over the access log, ${PER_REQUEST}`,
  AlertReading: 'readings copied into the alert (jsonb)',
  ClassificationApproval: 'part of a proposal’s jsonb affected departments',
  ClassificationChange: 'part of a proposal’s jsonb changes',
  Contradiction: `found between entries, ${PER_REQUEST}`,
  DataResource: 'the data directory, derived from the supergraph SDL',
  EntryConditions: 'part of an entry’s jsonb conditions',
  EntryExceptions: 'part of an entry’s jsonb exceptions',
  EntryProblem: `a validation finding, ${PER_REQUEST}`,
  EntrySelector: 'part of an entry’s jsonb selector',
  EntryValidation: `a validation, ${PER_REQUEST}`,
  Evidence: 'part of a revision’s jsonb evidence',
  EvidencePolicy:
    'the catalog’s configuration (REGISTRY_EVIDENCE_MAX_BYTES, the accepted content types), not a row',
  FieldChange: `a diff, ${PER_REQUEST}`,
  FieldMask: 'part of an entry’s or grant’s jsonb masks',
  FieldMaskApplied: 'part of an access record’s jsonb masked',
  FiledInput: 'a filed input joined with the policy, computed',
  ImpactChange: `an impact simulation, ${PER_REQUEST}`,
  ImpactDepartment: `an impact simulation, ${PER_REQUEST}`,
  ImpactExample: `an impact simulation, ${PER_REQUEST}`,
  ImpactField: `an impact simulation, ${PER_REQUEST}`,
  ImpactOperation: `an impact simulation, ${PER_REQUEST}`,
  ImpactReport: `an impact simulation, ${PER_REQUEST}`,
  PageInfo: 'paging state (opaque cursors), computed',
  PolicyChange: `a policy diff, ${PER_REQUEST}`,
  PolicySettings: 'the policy version, a hash of the published policy',
  RiskThreshold: 'part of a risk item’s jsonb thresholds',
  SearchFacetBucket: 'facet values and counts of a search, computed',
  SearchHighlight: 'highlighted fragments of a search, computed',
};

/**
 * Count coordinates and the type whose rows they count: such a count may
 * not exceed the rows of that type in the caller's scope (check 3 of the
 * guarantee, for counts). `totalCount` of every `…Connection` type counts
 * its `nodes` type and needs no entry here.
 */
export const COUNTED_TYPES: Readonly<Record<string, string>> = {
  'RiskCategory.riskItemCount': 'RiskItem',
  'RiskItemSearchResult.totalCount': 'RiskItem',
  'AlertSearchResult.totalCount': 'Alert',
};

/** `householdAddress` → `household_address`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** How a stored value reads in a response: instants as `toISOString`. */
function rendered(expression: string, dataType: string): string {
  if (dataType.startsWith('timestamp')) {
    return `to_char((${expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  if (dataType === 'ARRAY') return `unnest(${expression})`;
  return `(${expression})::text`;
}

/** One leaf coordinate's entry in the oracle. */
export type OracleEntry =
  | { readonly kind: 'values'; readonly sql: string }
  | { readonly kind: 'derived'; readonly reason: string }
  | { readonly kind: 'structural'; readonly reason: string }
  | { readonly kind: 'missing'; readonly reason: string };

/** The columns of every table, `schema.table` → column → data type. */
export type TableColumns = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Reads the column types of every department table. */
export async function readTableColumns(db: Queryable): Promise<TableColumns> {
  const { rows } = await db.query<{ t: string; c: string; d: string }>(
    `SELECT table_schema || '.' || table_name AS t, column_name AS c,
            data_type AS d
       FROM information_schema.columns
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const tables = new Map<string, Map<string, string>>();
  for (const row of rows) {
    let columns = tables.get(row.t);
    if (columns === undefined) {
      columns = new Map();
      tables.set(row.t, columns);
    }
    columns.set(row.c, row.d);
  }
  return tables;
}

/**
 * The oracle's entry for `Type.field`: a statement listing its true
 * values, a reason it has none of its own (derived values, composite
 * values checked through their own fields, values that are not text), or
 * a gap.
 */
export function oracleEntry(
  schema: GraphQLSchema,
  columns: TableColumns,
  coordinate: string,
): OracleEntry {
  const dot = coordinate.indexOf('.');
  const typeName = coordinate.slice(0, dot);
  const fieldName = coordinate.slice(dot + 1);
  const type = schema.getType(typeName);
  if (!(isObjectType(type) || isInterfaceType(type))) {
    return { kind: 'missing', reason: `${typeName} is not an object type` };
  }
  const field = type.getFields()[fieldName];
  if (field === undefined) {
    return { kind: 'missing', reason: `${coordinate} is not in the schema` };
  }
  const named = getNamedType(field.type);
  if (isCompositeType(named)) {
    return {
      kind: 'structural',
      reason: `its value is ${named.name} objects, whose fields are decided and checked on their own`,
    };
  }
  if (!isScalarType(named) || !['String', 'ID'].includes(named.name)) {
    return {
      kind: 'structural',
      reason: `a ${named.name} cannot be told apart from other data of its kind in a body; checked by presence`,
    };
  }
  const derived = DERIVED_TYPES[typeName];
  if (derived !== undefined) return { kind: 'derived', reason: derived };
  const table = TYPE_TABLES[typeName];
  if (table === undefined) {
    return {
      kind: 'missing',
      reason: `no table for ${typeName} in TYPE_TABLES and not in DERIVED_TYPES`,
    };
  }
  const source: ValueSource | Derived = table.fields?.[fieldName] ?? {
    column: snakeCase(fieldName),
  };
  if ('derived' in source) return { kind: 'derived', reason: source.derived };
  if ('sql' in source) {
    return { kind: 'values', sql: source.sql };
  }
  const dataType = columns.get(table.table)?.get(source.column);
  if (dataType === undefined) {
    return {
      kind: 'missing',
      reason: `${table.table} has no column ${source.column}`,
    };
  }
  const value = rendered(`t.${source.column}`, dataType);
  return {
    kind: 'values',
    sql: `SELECT ${value} AS v FROM ${table.table} t`,
  };
}

/** The true values of one coordinate, as text, without nulls. */
export async function readValues(
  db: Queryable,
  sql: string,
): Promise<Set<string>> {
  const { rows } = await db.query<{ v: string | null }>(
    `SELECT DISTINCT v FROM (${sql}) s WHERE v IS NOT NULL`,
  );
  return new Set(rows.map((r) => r.v).filter((v) => v !== null));
}

/** One row of a region-scoped type: its region and row-filter attributes. */
export interface ScopedRow {
  readonly region: string | null;
  readonly attributes: Readonly<Record<string, string | null>>;
}

/** Every row of every type in {@link TYPE_TABLES} with a key, by key. */
export type ScopedRows = ReadonlyMap<string, ReadonlyMap<string, ScopedRow>>;

/** Reads the key, region and attributes of every keyed row of the schema's types. */
export async function readScopedRows(
  db: Queryable,
  schema: GraphQLSchema,
): Promise<ScopedRows> {
  const all = new Map<string, Map<string, ScopedRow>>();
  for (const [typeName, table] of Object.entries(TYPE_TABLES)) {
    if (table.key === undefined || !schema.getType(typeName)) continue;
    const attributes = Object.entries(table.attributes ?? {});
    const { rows } = await db.query<Record<string, string | null>>(
      `SELECT t.${table.key.column}::text AS key,
              ${table.region === undefined ? 'NULL' : `(${table.region})::text`} AS region
              ${attributes.map(([name, sql], i) => `, (${sql})::text AS a${String(i)} /* ${name} */`).join('')}
         FROM ${table.table} t`,
    );
    const byKey = new Map<string, ScopedRow>();
    for (const row of rows) {
      byKey.set(row['key'] ?? '', {
        region: row['region'] ?? null,
        attributes: Object.fromEntries(
          attributes.map(([name], i) => [name, row[`a${String(i)}`] ?? null]),
        ),
      });
    }
    all.set(typeName, byKey);
  }
  return all;
}
