// OpenTelemetry traces (issue 16, item 2): one request through a small
// gateway and the market subgraph, in this process, its spans caught by an
// in-memory exporter. The gateway's request span holds the operation with
// its governance, Apollo's planning, each subgraph call and the audit
// append; the subgraph's server, resolver and SQL spans join the same
// trace through the traceparent signed into the call, never through a
// header; the trace id lands in the access-log record, which still
// verifies; no span carries a variable's or an answer's value.
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';

import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

import { createGateway } from '../../../gateway/src/createGateway.js';
import {
  createAccessLog,
  migrateAccessLog,
  verifyAccessLog,
  type AccessLog,
} from '../../../policies/store/src/audit/index.js';
import { composeSupergraph } from '../../../subgraphs/composeSupergraph.js';
import {
  createLogger,
  installTracing,
  traceLogFields,
  withSpan,
  type ServedGraphQL,
  type Tracing,
} from '../../../subgraphs/kit/src/index.js';
import { marketSubgraph } from '../../../subgraphs/market/src/marketSubgraph.js';
import { testGovernance } from '../../utils/governance.js';
import {
  demoHeaders,
  postGraphQL,
  startSubgraph,
  testIdentity,
  testSigningKey,
  type TestSubgraph,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response walks */

const CREDIT_CODE = '91500103MA5U1A2B3D';
const NAME = '较场口老火锅🍲';
const QUERY = `query Merchant($code: ID!) { enterprise(creditCode: $code) { name industry } }`;

/** The spans of one trace, by name, with a parent lookup. */
class Trace {
  readonly spans: readonly ReadableSpan[];
  constructor(spans: readonly ReadableSpan[], traceId: string) {
    this.spans = spans.filter((s) => s.spanContext().traceId === traceId);
  }
  named(name: string): ReadableSpan[] {
    return this.spans.filter((s) => s.name === name);
  }
  one(name: string): ReadableSpan {
    const found = this.named(name);
    assert.equal(found.length, 1, `one span "${name}" (${this.names()})`);
    return found[0] as ReadableSpan;
  }
  parentOf(span: ReadableSpan): ReadableSpan | undefined {
    const id = span.parentSpanContext?.spanId;
    return this.spans.find((s) => s.spanContext().spanId === id);
  }
  /** Whether `span` descends from `ancestor`. */
  under(span: ReadableSpan, ancestor: ReadableSpan): boolean {
    for (let p = this.parentOf(span); p; p = this.parentOf(p)) {
      if (p === ancestor) return true;
    }
    return false;
  }
  names(): string {
    return this.spans.map((s) => s.name).join(', ');
  }
  /** The span tree with durations, as docs/operations.md shows it. */
  dump(): string {
    const ms = (s: ReadableSpan): string =>
      `${(s.duration[0] * 1e3 + s.duration[1] / 1e6).toFixed(1)} ms`;
    const lines: string[] = [];
    const walk = (span: ReadableSpan, depth: number): void => {
      const attributes = Object.entries(span.attributes)
        .filter(([k]) => k.startsWith('govgraph.') || k.startsWith('graphql.'))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ');
      lines.push(
        `${'  '.repeat(depth)}${span.name}  ${ms(span)}${attributes ? `  ${attributes}` : ''}`,
      );
      const children = this.spans
        .filter((s) => this.parentOf(s) === span)
        .sort((a, b) =>
          a.startTime[0] === b.startTime[0]
            ? a.startTime[1] - b.startTime[1]
            : a.startTime[0] - b.startTime[0],
        );
      for (const child of children) walk(child, depth + 1);
    };
    for (const root of this.spans.filter((s) => !this.parentOf(s))) {
      walk(root, 0);
    }
    return lines.join('\n');
  }
}

describe('OpenTelemetry traces through the gateway and a subgraph', () => {
  let tracing: Tracing;
  const exporter = new InMemorySpanExporter();
  let tdb: TestDatabase;
  let market: TestSubgraph;
  let accessLog: AccessLog;
  let gateway: ServedGraphQL;

  before(async () => {
    tracing = await installTracing({
      serviceName: 'govgraph-test',
      exporter,
      processor: 'simple',
    });
    tdb = await createTestDatabase();
    market = await startSubgraph(marketSubgraph, tdb.db);
    await tdb.db.query(
      `INSERT INTO market.enterprises VALUES
       ($1, $2, '餐饮', 'ACTIVE', 50, '2019-03-01', '渝中区较场口1号', '500103001', 29.55, 106.57, 'P-1', 'B', 'L1', '2019-03-01', NULL, '餐饮服务', '渝中区市场监督管理局')`,
      [CREDIT_CODE, NAME],
    );
    await migrateAccessLog(tdb.db);
    accessLog = createAccessLog(
      { db: tdb.db, flushIntervalMs: 1 },
      { logger: createLogger('traces-test', 'silent') },
    );
    gateway = await createGateway(
      {
        supergraphSdl: composeSupergraph([marketSubgraph]),
        subgraphUrls: { market: market.url },
        signing: testSigningKey,
        identity: testIdentity,
        governance: testGovernance({ accessLog }),
      },
      { logger: createLogger('traces-test', 'silent') },
    ).listen({ port: 0 });
  });
  after(async () => {
    await gateway.close();
    await accessLog.close();
    await market.close();
    await tdb.drop();
    await tracing.shutdown();
  });

  /** Posts the query as env-analyst (环境局: a cross-department read). */
  async function ask(headers: Record<string, string> = {}): Promise<any> {
    exporter.reset();
    const res = await postGraphQL<any>(
      gateway.url,
      QUERY,
      { code: CREDIT_CODE },
      { ...(await demoHeaders('env-analyst')), ...headers },
    );
    assert.equal(res.errors, undefined, res.text);
    assert.equal(res.data.enterprise.name, NAME);
    // The server span ends once the answer is written: wait for it.
    while (
      !exporter
        .getFinishedSpans()
        .some((s) => s.name === 'gateway POST /graphql')
    ) {
      await new Promise((r) => setImmediate(r));
    }
    return res;
  }

  function requestTrace(): Trace {
    const root = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'gateway POST /graphql');
    assert.ok(root, 'the gateway request span');
    return new Trace(exporter.getFinishedSpans(), root.spanContext().traceId);
  }

  it('makes one trace of a request: governance, planning, the subgraph call with its resolver and SQL, the audit append', async (t: TestContext) => {
    await ask();
    const trace = requestTrace();
    const request = trace.one('gateway POST /graphql');
    assert.equal(request.kind, SpanKind.SERVER);
    assert.equal(request.attributes['http.response.status_code'], 200);
    assert.equal(trace.parentOf(request), undefined, 'a root span');

    const operation = trace.one('graphql operation');
    assert.equal(trace.parentOf(operation), request);
    assert.equal(operation.attributes['graphql.operation.name'], 'Merchant');
    assert.equal(operation.attributes['graphql.operation.type'], 'query');
    assert.equal(operation.attributes['govgraph.outcome'], 'OK');
    assert.equal(operation.attributes['govgraph.withheld.count'], 0);
    assert.equal(operation.attributes['govgraph.department'], 'environment');
    assert.equal(operation.attributes['govgraph.cross_department'], true);
    assert.match(
      String(operation.attributes['govgraph.operation.hash']),
      /^[0-9a-f]{64}$/,
    );

    const governance = trace.one('governance');
    assert.equal(trace.parentOf(governance), operation);
    assert.equal(governance.attributes['govgraph.plan_cache.hit'], false);
    // @apollo/gateway's own spans: its query plan and each fetch.
    assert.ok(trace.under(trace.one('gateway.plan'), operation));
    const fetch = trace.one('gateway.fetch');
    assert.equal(fetch.attributes['service'], 'market');
    const call = trace.one('subgraph call');
    assert.equal(call.kind, SpanKind.CLIENT);
    assert.equal(trace.parentOf(call), fetch);
    assert.equal(call.attributes['govgraph.subgraph'], 'market');

    // The subgraph continues the trace under the gateway's call span.
    const served = trace.one('market POST /graphql');
    assert.equal(served.kind, SpanKind.SERVER);
    assert.equal(trace.parentOf(served), call);
    const resolver = trace.one('resolve Query.enterprise');
    assert.equal(trace.parentOf(resolver), served);
    assert.ok(
      trace.spans.some(
        (s) =>
          s.attributes['db.system.name'] === 'postgresql' &&
          trace.under(s, resolver),
      ),
      `a SQL span under the resolver (${trace.names()})`,
    );

    const audit = trace.one('audit append');
    assert.equal(trace.parentOf(audit), operation);
    assert.equal(audit.attributes['govgraph.audit.appended'], 'WRITTEN');
    assert.equal(audit.attributes['govgraph.audit.outcome'], 'OK');

    // No value of the request or its answer is in any span.
    const text = JSON.stringify(
      trace.spans.map((s) => [s.name, s.attributes, s.events, s.status]),
    );
    for (const value of [CREDIT_CODE, NAME, '渝中区较场口1号', QUERY]) {
      assert.ok(!text.includes(value), `a span carries ${value}`);
    }

    // The access-log record names the trace, and the log still verifies.
    await accessLog.flush();
    const { rows } = await tdb.db.query<{ trace_id: string | null }>(
      'SELECT trace_id FROM audit.access_records ORDER BY seq DESC LIMIT 1',
    );
    assert.equal(rows[0]?.trace_id, request.spanContext().traceId);
    assert.deepEqual((await verifyAccessLog(tdb.db)).problems, []);
    t.diagnostic(`\n${trace.dump()}`);
  });

  it("continues a caller's trace at the gateway, and the subgraph only the signed one", async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    await ask({ traceparent: `00-${callerTrace}-${callerSpan}-01` });
    const trace = requestTrace();
    const request = trace.one('gateway POST /graphql');
    assert.equal(request.spanContext().traceId, callerTrace);
    assert.equal(request.parentSpanContext?.spanId, callerSpan);
    assert.equal(request.parentSpanContext?.isRemote, true);
    // The subgraph's parent is the gateway's signed call span, not the
    // caller's span.
    assert.equal(
      trace.parentOf(trace.one('market POST /graphql')),
      trace.one('subgraph call'),
    );
  });

  it('answers a caller whose traceparent is forged or malformed, in a trace of its own', async () => {
    for (const forged of [
      'zz-not-a-traceparent',
      '00-00000000000000000000000000000000-0000000000000000-01',
      `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01", "tp": "x`,
    ]) {
      await ask({ traceparent: forged });
      const trace = requestTrace();
      const request = trace.one('gateway POST /graphql');
      assert.equal(trace.parentOf(request), undefined);
      assert.equal(request.parentSpanContext, undefined, forged);
      assert.equal(
        trace.parentOf(trace.one('market POST /graphql')),
        trace.one('subgraph call'),
      );
    }
  });

  it('ignores a traceparent header on a subgraph call, and traces no unsigned call', async () => {
    const forgedTrace = 'f'.repeat(32);
    exporter.reset();
    const signed = await market.post(
      '{ enterprise(creditCode: "91500103MA5U1A2B3D") { name } }',
      undefined,
      { traceparent: `00-${forgedTrace}-${'1'.repeat(16)}-01` },
    );
    assert.equal(signed.errors, undefined, signed.text);
    const [served] = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'market POST /graphql');
    assert.ok(served);
    assert.notEqual(served.spanContext().traceId, forgedTrace);
    assert.equal(served.parentSpanContext, undefined);

    exporter.reset();
    const unsigned = await fetch(market.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${forgedTrace}-${'1'.repeat(16)}-01`,
      },
      body: JSON.stringify({ query: '{ enterprises { totalCount } }' }),
    });
    assert.equal(unsigned.status, 401);
    assert.deepEqual(exporter.getFinishedSpans(), []);
  });

  it('puts the active span’s trace id on log lines, and nothing outside a span', async () => {
    assert.deepEqual(traceLogFields(), {});
    await withSpan('a span', {}, async (span) => {
      assert.ok(span);
      assert.deepEqual(traceLogFields(), {
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
      });
    });
  });
});
