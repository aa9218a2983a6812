// The data alerts are raised from that other departments own — readings of
// monitoring sections, the sections' upstream sources and places — read
// through the governed graph: the gateway decides, masks and logs these
// reads like any other department's, for the emergency department's
// service principal. Nothing here knows another department's code or
// schema files; only the queries below.
import type { Logger } from '../../../kit/src/index.js';
import type { SectionContext } from './composeAlert.js';
import type { ReadingSample } from './evaluateThreshold.js';
import type { SuspectedSourceRow } from './repository/rows.js';

/** Where the evaluator reads what it evaluates. */
export interface AlertDataSource {
  /**
   * The readings of each section measured at or after `since` and before
   * `until`, oldest first; a section the graph does not know is absent.
   */
  readings(
    sectionIds: readonly string[],
    since: Date,
    until: Date,
  ): Promise<Map<string, ReadingSample[]>>;
  /** Name, place and upstream sources of a section; null if unknown. */
  sectionContext(sectionId: string): Promise<SectionContext | null>;
}

/** Configuration of {@link createGatewayAlertSource}. */
export interface GatewayAlertSourceConfig {
  /** The gateway's GraphQL URL. */
  readonly url: string;
  /** The purpose of use declared with every request. */
  readonly purpose: string;
  /**
   * Sections per readings request (one alias each): the gateway's default
   * cost limit (5000) admits two. @defaultValue 2
   */
  readonly batchSize?: number;
  /** Readings requests in flight at once. @defaultValue 4 */
  readonly concurrency?: number;
  /** Milliseconds before a request is abandoned. @defaultValue 30000 */
  readonly timeoutMs?: number;
}

/** Dependencies of {@link createGatewayAlertSource}. */
export interface GatewayAlertSourceDeps {
  /** A current bearer token of the service principal. */
  readonly token: () => Promise<string>;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

/** The header the gateway reads the purpose from. */
const PURPOSE_HEADER = 'x-govgraph-purpose';

/** An error of the graph: what the gateway answered. */
export class AlertSourceError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}

interface GraphResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: unknown }[];
}

interface ReadingNode {
  parameter: string;
  value: number;
  unit: string;
  measuredAt: string;
}

interface ReadingsField {
  readings: {
    totalCount: number;
    nodes: ReadingNode[];
  } | null;
}

interface PagedReadingsField {
  readings: {
    nodes: ReadingNode[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/** Readings of one section; without pageInfo, to keep the query's cost low. */
const READINGS_FIELDS = `readings(since: $since, until: $until, first: 100) {
  totalCount nodes { parameter value unit measuredAt } }`;

/** The rare section with more readings than a page: paged on its own. */
const PAGED_READINGS_QUERY = `query AlertReadingsPage($id: ID!, $since: String!, $until: String!, $after: String) {
  monitoringSection(id: $id) {
    readings(since: $since, until: $until, first: 100, after: $after) {
      nodes { parameter value unit measuredAt }
      pageInfo { hasNextPage endCursor } } } }`;

const SECTION_QUERY = `query AlertSection($id: ID!) {
  monitoringSection(id: $id) {
    id name river { name }
    region { name kind parent { name } }
    suspectedSources(first: 20) {
      nodes { distanceKm source { id name enterprise { creditCode } } }
    }
  }
}`;

/**
 * An {@link AlertDataSource} over the gateway: GraphQL over HTTP with the
 * service principal's bearer token and purpose. Readings of up to
 * `batchSize` sections go in one request (one alias each), further pages
 * of a section in their own. Fields the gateway withholds are treated as
 * absent (and logged), never as an error of the whole evaluation.
 */
export function createGatewayAlertSource(
  config: GatewayAlertSourceConfig,
  deps: GatewayAlertSourceDeps,
): AlertDataSource {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const batchSize = config.batchSize ?? 2;
  const timeoutMs = config.timeoutMs ?? 30_000;
  const concurrency = config.concurrency ?? 4;

  const post = async (
    query: string,
    variables: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    const res = await doFetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await deps.token()}`,
        [PURPOSE_HEADER]: config.purpose,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: GraphResponse;
    try {
      body = JSON.parse(text) as GraphResponse;
    } catch {
      throw new AlertSourceError(
        `gateway answered ${res.status} without JSON: ${text.slice(0, 200)}`,
        res.status,
      );
    }
    if (!res.ok || !body.data) {
      throw new AlertSourceError(
        `gateway answered ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? text.slice(0, 200)}`,
        res.status,
      );
    }
    if (body.errors?.length) {
      deps.logger?.warn(
        {
          errors: body.errors.map((e) => ({
            message: e.message,
            path: e.path,
          })),
        },
        'alert source: fields withheld or failed',
      );
    }
    return body.data;
  };

  const toSamples = (nodes: readonly ReadingNode[]): ReadingSample[] =>
    nodes.map((n) => ({
      metric: n.parameter,
      value: n.value,
      unit: n.unit,
      measuredAt: n.measuredAt,
    }));

  return {
    async readings(sectionIds, since, until) {
      const result = new Map<string, ReadingSample[]>();
      const range = { since: since.toISOString(), until: until.toISOString() };
      const readBatch = async (batch: readonly string[]): Promise<void> => {
        const vars = batch.map((_, k) => `$s${k}: ID!`).join(', ');
        const fields = batch
          .map(
            (_, k) =>
              `s${k}: monitoringSection(id: $s${k}) { ${READINGS_FIELDS} }`,
          )
          .join('\n');
        const data = await post(
          `query AlertReadings($since: String!, $until: String!, ${vars}) {\n${fields}\n}`,
          {
            ...range,
            ...Object.fromEntries(batch.map((id, k) => [`s${k}`, id])),
          },
        );
        for (const [k, id] of batch.entries()) {
          const section = data[`s${k}`] as ReadingsField | null | undefined;
          if (!section?.readings) continue;
          let samples = toSamples(section.readings.nodes);
          if (samples.length < section.readings.totalCount) {
            samples = [];
            let after: string | null = null;
            for (;;) {
              const page = (
                await post(PAGED_READINGS_QUERY, { id, ...range, after })
              )['monitoringSection'] as PagedReadingsField | null | undefined;
              if (!page?.readings) break;
              samples.push(...toSamples(page.readings.nodes));
              const info = page.readings.pageInfo;
              if (!info.hasNextPage || info.endCursor === null) break;
              after = info.endCursor;
            }
          }
          samples.sort(
            (a, b) => Date.parse(a.measuredAt) - Date.parse(b.measuredAt),
          );
          result.set(id, samples);
        }
      };
      const batches: string[][] = [];
      for (let i = 0; i < sectionIds.length; i += batchSize) {
        batches.push(sectionIds.slice(i, i + batchSize));
      }
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < batches.length) {
          const batch = batches[next++];
          if (batch) await readBatch(batch);
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(concurrency, batches.length) }, worker),
      );
      return result;
    },

    async sectionContext(sectionId) {
      const data = await post(SECTION_QUERY, { id: sectionId });
      const section = data['monitoringSection'] as {
        id: string;
        name?: string | null;
        river?: { name?: string | null } | null;
        region?: {
          name?: string | null;
          kind?: string | null;
          parent?: { name?: string | null } | null;
        } | null;
        suspectedSources?: {
          nodes: {
            distanceKm: number;
            source: {
              id: string;
              name?: string | null;
              enterprise?: { creditCode?: string | null } | null;
            } | null;
          }[];
        } | null;
      } | null;
      if (!section) return null;
      const sources: SuspectedSourceRow[] = (
        section.suspectedSources?.nodes ?? []
      ).flatMap((n) =>
        n.source
          ? [
              {
                sourceId: n.source.id,
                distanceKm: n.distanceKm,
                name: n.source.name ?? null,
                creditCode: n.source.enterprise?.creditCode ?? null,
              },
            ]
          : [],
      );
      return {
        id: section.id,
        name: sectionName(section.name, section.river?.name),
        streetName: section.region?.name ?? null,
        streetKind: section.region?.kind ?? null,
        districtName: section.region?.parent?.name ?? null,
        sources,
      };
    },
  };
}

/**
 * The name a warning gives a section: with its river and 断面, as in
 * 蒲河寨溪大桥断面, whether the section's own name has them or not.
 */
export function sectionName(
  name: string | null | undefined,
  river: string | null | undefined,
): string | null {
  if (!name) return null;
  const withRiver = river && !name.startsWith(river) ? `${river}${name}` : name;
  return withRiver.endsWith('断面') ? withRiver : `${withRiver}断面`;
}
