// The data alerts are raised from that other departments own — readings of
// monitoring sections, the sections' upstream sources and places — read
// through the governed graph: the gateway decides, masks and logs these
// reads like any other department's, for the emergency department's
// service principal. Nothing here knows another department's code or
// schema files; only the queries of gatewayReadings.ts and
// gatewaySection.ts.
import type { Logger } from '../../../kit/src/logger.js';
import type { SectionContext } from './composeAlert.js';
import type { ReadingSample } from './evaluateThreshold.js';
import { gatewayPoster } from './gatewayGraphql.js';
import { readReadings } from './gatewayReadings.js';
import { readSectionContext } from './gatewaySection.js';

export { AlertSourceError } from './gatewayGraphql.js';
export { sectionName } from './gatewaySection.js';

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
  const post = gatewayPoster({
    url: config.url,
    purpose: config.purpose,
    timeoutMs: config.timeoutMs ?? 30_000,
    token: deps.token,
    fetch: deps.fetch ?? globalThis.fetch,
    logger: deps.logger,
  });
  const requests = {
    batchSize: config.batchSize ?? 2,
    concurrency: config.concurrency ?? 4,
  };
  return {
    readings: (sectionIds, since, until) =>
      readReadings(post, requests, sectionIds, since, until),
    sectionContext: (sectionId) => readSectionContext(post, sectionId),
  };
}
