// The readings of monitoring sections, read through the gateway: up to a
// batch of sections per request (one alias each), further pages of a
// section in their own requests, a bounded number of requests in flight.
import type { ReadingSample } from './evaluateThreshold.js';
import type { PostGraphql } from './gatewayGraphql.js';

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

const toSamples = (nodes: readonly ReadingNode[]): ReadingSample[] =>
  nodes.map((n) => ({
    metric: n.parameter,
    value: n.value,
    unit: n.unit,
    measuredAt: n.measuredAt,
  }));

/** How the readings are requested. */
export interface ReadingsRequests {
  /** Sections per request. */
  readonly batchSize: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/**
 * The readings of each section measured at or after `since` and before
 * `until`, oldest first; a section the graph does not know (or withholds)
 * is absent.
 */
export async function readReadings(
  post: PostGraphql,
  requests: ReadingsRequests,
  sectionIds: readonly string[],
  since: Date,
  until: Date,
): Promise<Map<string, ReadingSample[]>> {
  const result = new Map<string, ReadingSample[]>();
  const range = { since: since.toISOString(), until: until.toISOString() };
  const readBatch = async (batch: readonly string[]): Promise<void> => {
    const vars = batch.map((_, k) => `$s${k}: ID!`).join(', ');
    const fields = batch
      .map(
        (_, k) => `s${k}: monitoringSection(id: $s${k}) { ${READINGS_FIELDS} }`,
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
  for (let i = 0; i < sectionIds.length; i += requests.batchSize) {
    batches.push(sectionIds.slice(i, i + requests.batchSize));
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await readBatch(batch);
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(requests.concurrency, batches.length) },
      worker,
    ),
  );
  return result;
}
