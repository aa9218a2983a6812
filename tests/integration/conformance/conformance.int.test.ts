// The differential federation conformance corpus: every case under
// cases/<name>/ (subgraph SDLs, their data, a list of operations, the
// coordinates a deny policy withholds) is composed with
// @apollo/composition, its subgraphs served in-process, and every operation
// run through plain @apollo/gateway with its default data source and
// through govgraph's governed gateway. Allowing everything, govgraph must
// answer the same data and error paths; denying the case's coordinates, it
// must withhold exactly those (see withholdModel.ts) and answer the rest as
// plain does. See README.md beside this file for adding a case.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, it } from 'node:test';

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  Kind,
  parse,
  print,
  visit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

import { createGateway } from '../../../gateway/src/createGateway.js';
import type { PolicySource } from '../../../gateway/src/pipeline/index.js';
import {
  readOwnership,
  type NegativeListEntry,
  type PolicySet,
} from '../../../policies/src/index.js';
import { createLogger } from '../../../subgraphs/kit/src/index.js';
import { apiSchemaOf, composeSubgraphs } from '../../utils/federation.js';
import { OPEN_POLICY, testGovernance } from '../../utils/governance.js';
import {
  demoHeaders,
  postBody,
  testIdentity,
  testSigningKey,
  type GraphQLResponse,
} from '../../utils/graphql.js';
import {
  startCaseSubgraph,
  type CaseSubgraph,
  type SubgraphData,
} from './caseSubgraphs.js';
import { withheldAnswer, withTypenameAliases } from './withholdModel.js';

const CASES = new URL('./cases/', import.meta.url);

/** `case.json` of a case (optional). */
interface CaseSettings {
  /**
   * The supergraph uses a feature @apollo/gateway does not support (e.g.
   * `context/v0.1`): both gateways must refuse to load it, with an error
   * naming it.
   */
  readonly unsupported?: string;
  /**
   * Operations the API schema does not validate (e.g. selecting an
   * `@inaccessible` field): both gateways must refuse them alike.
   */
  readonly invalid?: readonly string[];
}

interface ConformanceCase {
  readonly name: string;
  readonly subgraphs: readonly { name: string; typeDefs: string }[];
  readonly data: Readonly<Record<string, SubgraphData>>;
  readonly operations: DocumentNode;
  readonly operationNames: readonly string[];
  /** Concrete coordinates (`Type.field`) the deny policy withholds. */
  readonly deny: readonly string[];
  readonly settings: CaseSettings;
}

function readCase(name: string): ConformanceCase {
  const dir = new URL(`${name}/`, CASES);
  const files = readdirSync(dir);
  const subgraphs = files
    .filter((f) => f.endsWith('.graphql') && f !== 'queries.graphql')
    .sort()
    .map((f) => ({
      name: f.slice(0, -'.graphql'.length),
      typeDefs: readFileSync(new URL(f, dir), 'utf8'),
    }));
  const operations = parse(
    readFileSync(new URL('queries.graphql', dir), 'utf8'),
  );
  const operationNames = operations.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [],
  );
  const read = <T>(file: string, fallback: T): T =>
    existsSync(new URL(file, dir))
      ? (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as T)
      : fallback;
  return {
    name,
    subgraphs,
    data: read('data.json', {}),
    operations,
    operationNames,
    deny: read<{ coordinates: string[] }>('deny.json', { coordinates: [] })
      .coordinates,
    settings: read('case.json', {}),
  };
}

const cases = readdirSync(CASES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => readCase(d.name))
  .sort((a, b) => a.name.localeCompare(b.name));

/** A policy source whose policy a case swaps between runs. */
function swappablePolicy(): PolicySource & { policy: PolicySet } {
  const source = {
    policy: OPEN_POLICY,
    current: () => ({ policy: source.policy, algorithms: new Map() }),
  };
  return source;
}

/** NOT_SHARED entries for the coordinates, one per owning department. */
function denyPolicy(
  supergraph: string,
  coordinates: readonly string[],
): PolicySet {
  const ownership = readOwnership(supergraph);
  const byOwner = new Map<string, string[]>();
  for (const coordinate of coordinates) {
    const owners = ownership.get(coordinate)?.owners ?? [];
    assert.ok(owners.length > 0, `${coordinate} has an owner`);
    for (const owner of owners) {
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), coordinate]);
    }
  }
  const entries: NegativeListEntry[] = [...byOwner].map(
    ([owner, selected]) => ({
      id: `NL-conformance-${owner}`,
      version: 1,
      ownerDepartment: owner,
      selector: { coordinates: selected },
      shareClass: 'NOT_SHARED',
      legalBasis: 'conformance corpus',
      reason: 'withheld by the conformance deny policy',
      priority: 10,
      status: 'ACTIVE',
    }),
  );
  return { ...OPEN_POLICY, version: 'conformance-deny', entries };
}

interface Answer {
  data: unknown;
  errors: readonly {
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
  text: string;
}

function paths(errors: Answer['errors']): string[] {
  return errors.map((e) => JSON.stringify(e.path ?? null)).sort();
}

/** The named operation with the fragments it spreads, alone. */
function operationDocument(
  document: DocumentNode,
  operationName: string,
): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(def.name.value, def);
    if (
      def.kind === Kind.OPERATION_DEFINITION &&
      def.name?.value === operationName
    ) {
      operation = def;
    }
  }
  assert.ok(operation, `operation ${operationName}`);
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: ASTNode): void => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment === undefined || used.has(name)) return;
        used.set(name, fragment);
        collect(fragment);
      },
    });
  };
  collect(operation);
  return { kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] };
}

const silent = createLogger('conformance', 'silent');

async function runCase(c: ConformanceCase): Promise<void> {
  const started: CaseSubgraph[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    for (const subgraph of c.subgraphs) {
      started.push(
        await startCaseSubgraph(
          subgraph.name,
          subgraph.typeDefs,
          c.data[subgraph.name] ?? {},
        ),
      );
    }
    closers.push(...started.map((s) => () => s.close()));
    const supergraph = composeSubgraphs(
      c.subgraphs.map((s, i) => ({ ...s, url: started[i]?.plainUrl ?? '' })),
    );

    const plain = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: supergraph, logger: silent }),
      logger: silent,
    });
    const policy = swappablePolicy();
    const startGoverned = async () =>
      createGateway(
        {
          supergraphSdl: supergraph,
          subgraphUrls: Object.fromEntries(
            started.map((s) => [s.name, s.signedUrl]),
          ),
          signing: testSigningKey,
          identity: testIdentity,
          governance: testGovernance({ policy }),
        },
        { logger: silent },
      ).listen({ port: 0 });

    if (c.settings.unsupported !== undefined) {
      const needle = c.settings.unsupported;
      await assert.rejects(plain.start(), (e: Error) =>
        e.message.includes(needle),
      );
      await assert.rejects(startGoverned(), (e: Error) =>
        e.message.includes(needle),
      );
      return;
    }

    await plain.start();
    closers.push(() => plain.stop());
    const served = await startGoverned();
    closers.push(() => served.close());
    const headers = await demoHeaders('env-analyst');

    const runPlain = async (
      document: DocumentNode,
      operationName: string,
    ): Promise<Answer> => {
      const response = await plain.executeOperation({
        query: print(operationDocument(document, operationName)),
        operationName,
      });
      assert.equal(response.body.kind, 'single');
      const text = JSON.stringify(
        response.body.kind === 'single' ? response.body.singleResult : {},
      );
      // As JSON, like the governed answer (no null-prototype objects).
      const result = JSON.parse(text) as Partial<Answer>;
      return { data: result.data, errors: result.errors ?? [], text };
    };
    const runGoverned = async (operationName: string): Promise<Answer> => {
      const res: GraphQLResponse = await postBody(
        served.url,
        JSON.stringify({
          query: print(operationDocument(c.operations, operationName)),
          operationName,
        }),
        headers,
      );
      return { data: res.data, errors: res.errors ?? [], text: res.text };
    };

    // (a) and (b): allowing everything, govgraph answers what plain does.
    policy.policy = OPEN_POLICY;
    for (const operationName of c.operationNames) {
      const expected = await runPlain(c.operations, operationName);
      const actual = await runGoverned(operationName);
      if (!c.settings.invalid?.includes(operationName)) {
        assert.notEqual(
          expected.data ?? null,
          null,
          `${c.name}/${operationName}: the case answers data\n${expected.text}`,
        );
      }
      assert.deepEqual(
        actual.data,
        expected.data,
        `${c.name}/${operationName}: allow-all data\n${actual.text}\n${expected.text}`,
      );
      assert.deepEqual(
        paths(actual.errors),
        paths(expected.errors),
        `${c.name}/${operationName}: allow-all error paths\n${actual.text}`,
      );
      assert.ok(
        actual.errors.every((e) => e.extensions?.['rule'] === undefined),
        `${c.name}/${operationName}: nothing withheld\n${actual.text}`,
      );
    }

    // (c): denying the case's coordinates withholds exactly those.
    if (c.deny.length === 0) return;
    policy.policy = denyPolicy(supergraph, c.deny);
    const schema = apiSchemaOf(supergraph);
    const denied = new Set(c.deny);
    let withheldSomewhere = false;
    for (const operationName of c.operationNames) {
      const typed = await runPlain(
        withTypenameAliases(c.operations),
        operationName,
      );
      const model = withheldAnswer(
        schema,
        c.operations,
        operationName,
        typed.data,
        denied,
      );
      const actual = await runGoverned(operationName);
      const label = `${c.name}/${operationName}: deny`;
      assert.deepEqual(
        actual.data,
        model.data,
        `${label} data\n${actual.text}`,
      );
      const governance = actual.errors.filter(
        (e) => e.extensions?.['rule'] !== undefined,
      );
      assert.ok(
        governance.every((e) =>
          String(e.extensions?.['rule']).startsWith(
            'negative-list:NL-conformance-',
          ),
        ),
        `${label}: withheld by the deny entries only\n${actual.text}`,
      );
      assert.deepEqual(
        [...new Set(governance.map((e) => JSON.stringify(e.path)))].sort(),
        [...model.withheldPaths].sort(),
        `${label}: one error per withheld selection\n${actual.text}`,
      );
      const withheldKeys = [...model.withheldPaths].map(
        (p) => JSON.parse(p) as string[],
      );
      const underRemoved = (path: readonly (string | number)[] | undefined) => {
        if (path === undefined) return false;
        const keys = path.filter((step) => typeof step === 'string');
        return (
          model.removedPaths.some((r) =>
            r.every((step, i) => path[i] === step),
          ) || withheldKeys.some((w) => w.every((step, i) => keys[i] === step))
        );
      };
      assert.deepEqual(
        paths(
          actual.errors.filter((e) => e.extensions?.['rule'] === undefined),
        ),
        paths(typed.errors.filter((e) => !underRemoved(e.path))),
        `${label}: other error paths as plain\n${actual.text}`,
      );
      for (const value of model.deniedValues.flat(Infinity)) {
        if (typeof value === 'string' && value.length >= 4) {
          assert.ok(
            !actual.text.includes(value),
            `${label}: ${value} appears in the body\n${actual.text}`,
          );
        }
      }
      if (model.withheldPaths.size > 0) withheldSomewhere = true;
    }
    assert.ok(
      withheldSomewhere,
      `${c.name}: the deny policy withholds something`,
    );
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

describe('federation conformance: govgraph answers as plain @apollo/gateway', () => {
  it('has cases', () => {
    assert.ok(cases.length > 0);
  });
  for (const c of cases) {
    it(c.name, async () => {
      await runCase(c);
    });
  }
});
