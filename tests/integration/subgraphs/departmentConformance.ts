// What every department subgraph must do, checked the same way for each:
// a department's file calls describeDepartment with its subgraph, fixtures
// and the requests that exercise these checks, and adds its own tests.
//
// - well-formed ids that name nothing answer NOT_FOUND and null;
// - malformed arguments answer BAD_USER_INPUT (naming the argument where
//   the department says which), never a database error or a stack trace;
// - entity references resolve, and answer null for unknown keys;
// - the statements of a request do not grow with the number of parents;
// - on PGlite, where the department runs there, it answers as on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  countStatements,
  type Database,
  type SubgraphDefinition,
} from '../../../subgraphs/kit/src/index.js';
import {
  startSubgraph,
  type GraphQLResponse,
  type PostGraphQL,
} from '../../utils/graphql.js';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../utils/testDatabase.js';
import { openMemoryPglite } from '../../utils/pglite.js';

/** One GraphQL request to the department's subgraph. */
export interface Request {
  query: string;
  variables?: Record<string, unknown>;
}

/** A request whose statements must not grow with its number of parents. */
export interface StatementCount {
  title: string;
  query: string;
  /** The variables of a request for `n` parents. */
  variables(n: number): Record<string, unknown>;
  /** The two numbers of parents compared. @defaultValue [2, 20] */
  parents?: readonly [number, number];
  /**
   * How many entries the answer's first field holds (its list, or its
   * `nodes`) for `n` parents, when the department checks it.
   */
  length?(n: number): number;
  /** Exactly how many statements the request takes, when fixed. */
  statements?: number;
}

/** A department's part in the conformance suite. */
export interface DepartmentConformance {
  subgraph: SubgraphDefinition;
  /** Writes the department's fixtures into its migrated database. */
  fixtures(db: Database): Promise<void>;
  /** Requests for one field each, by a well-formed id that names nothing. */
  notFound: ReadonlyArray<Request & { field: string }>;
  /** Requests with a malformed argument, named when the error names it. */
  badUserInput: ReadonlyArray<Request & { argumentName?: string }>;
  /** `_entities` requests and their answers, null for unknown keys. */
  references: ReadonlyArray<
    Request & { title: string; expected: readonly unknown[] }
  >;
  statementCounts: readonly StatementCount[];
  /**
   * The same fixtures on PGlite (in memory): `check` asks what differs
   * between the engines (dates, timestamps, jsonb, distances …).
   */
  pglite?: { title: string; check(post: PostGraphQL): Promise<void> };
}

/**
 * The running department, for its own tests: `tdb` is set once the suite's
 * `before` has run; `post` and `statements` may be taken at once.
 */
export interface DepartmentContext {
  /** The test database, fixtures written; its statements are not counted. */
  readonly tdb: TestDatabase;
  /** Signed calls to the subgraph, as the gateway makes them. */
  post: PostGraphQL;
  /** Statements one request takes; the request must succeed. */
  statements(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<number>;
}

/** Runs a query that must succeed and returns its data. */
export async function query<T>(
  post: PostGraphQL,
  text: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const res = await post<T>(text, variables);
  assert.equal(res.errors, undefined, res.text);
  assert.ok(res.data, res.text);
  return res.data;
}

/**
 * Runs a query that must fail with `code` and leak no internals: no stack
 * trace, no SQL, no table of the department's schema.
 */
export async function expectError(
  post: PostGraphQL,
  text: string,
  code: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const res = await post(text, variables);
  assert.equal(
    res.errors?.[0]?.extensions?.['code'],
    code,
    `${text}: ${res.text}`,
  );
  assert.doesNotMatch(res.text, LEAKS, text);
  return res;
}

/** What no error answer may contain (the schema is matched separately). */
const LEAKS = /stacktrace|at .*\.ts|SELECT/;

/**
 * Describes `<name> subgraph` over a fresh database with the department's
 * fixtures: `own` adds the department's own tests (given the running
 * department), then the conformance checks run; with `pglite`, `<name>
 * subgraph on PGlite` follows.
 */
export function describeDepartment(
  conformance: DepartmentConformance,
  own: (department: DepartmentContext) => void = () => undefined,
): void {
  const { subgraph } = conformance;
  const schemaTables = new RegExp(`\\b${subgraph.schema}\\.`);
  let tdb: TestDatabase | undefined;
  let counted: ReturnType<typeof countStatements> | undefined;
  let served: Awaited<ReturnType<typeof startSubgraph>> | undefined;
  const running = <T>(value: T | undefined): T => {
    assert.ok(value, `the ${subgraph.name} subgraph is not running`);
    return value;
  };
  const department: DepartmentContext = {
    get tdb() {
      return running(tdb);
    },
    post: (text, variables, headers) =>
      running(served).post(text, variables, headers),
    async statements(text, variables) {
      const counter = running(counted);
      counter.reset();
      await query(running(served).post, text, variables);
      return counter.count;
    },
  };

  describe(`${subgraph.name} subgraph`, () => {
    before(async () => {
      tdb = await createTestDatabase();
      counted = countStatements(tdb.db);
      served = await startSubgraph(subgraph, counted.db);
      await conformance.fixtures(tdb.db);
    });
    after(async () => {
      await served?.close();
      await tdb?.drop();
    });

    own(department);

    describe('conformance', () => {
      it('answers NOT_FOUND for well-formed ids that name nothing', async () => {
        assert.ok(conformance.notFound.length > 0);
        for (const { query: text, variables, field } of conformance.notFound) {
          const res = await expectError(
            department.post,
            text,
            'NOT_FOUND',
            variables,
          );
          assert.doesNotMatch(res.text, schemaTables, text);
          assert.deepEqual(res.data, { [field]: null }, `${text}: ${res.text}`);
        }
      });

      it('answers BAD_USER_INPUT for malformed arguments, never a database error', async () => {
        assert.ok(conformance.badUserInput.length > 0);
        for (const {
          query: text,
          variables,
          argumentName,
        } of conformance.badUserInput) {
          const res = await expectError(
            department.post,
            text,
            'BAD_USER_INPUT',
            variables,
          );
          assert.doesNotMatch(res.text, schemaTables, text);
          if (argumentName !== undefined) {
            assert.equal(
              res.errors?.[0]?.extensions?.['argumentName'],
              argumentName,
              `${text}: ${res.text}`,
            );
          }
        }
      });

      for (const reference of conformance.references) {
        it(reference.title, async () => {
          const data = await query<{ _entities: unknown[] }>(
            department.post,
            reference.query,
            reference.variables,
          );
          assert.deepEqual(data._entities, reference.expected);
        });
      }

      for (const count of conformance.statementCounts) {
        it(count.title, async (t) => {
          const [few, many] = count.parents ?? [2, 20];
          const statementsFor = async (n: number): Promise<number> => {
            const counter = running(counted);
            counter.reset();
            const data = await query<
              Record<string, unknown[] | { nodes: unknown[] } | null>
            >(department.post, count.query, count.variables(n));
            if (count.length) {
              const value = Object.values(data)[0];
              const length = Array.isArray(value)
                ? value.length
                : value?.nodes.length;
              assert.equal(length, count.length(n), JSON.stringify(data));
            }
            return counter.count;
          };
          const fewStatements = await statementsFor(few);
          const manyStatements = await statementsFor(many);
          t.diagnostic(
            `${fewStatements} statements for ${few} parents, ${manyStatements} for ${many}`,
          );
          assert.ok(fewStatements > 0);
          if (count.statements !== undefined) {
            assert.equal(fewStatements, count.statements);
          }
          assert.equal(manyStatements, fewStatements);
        });
      }
    });
  });

  const { pglite } = conformance;
  if (pglite) {
    describe(`${subgraph.name} subgraph on PGlite`, () => {
      let db: Database | undefined;
      let onPglite: Awaited<ReturnType<typeof startSubgraph>> | undefined;

      before(async () => {
        db = await openMemoryPglite();
        onPglite = await startSubgraph(subgraph, db);
        await conformance.fixtures(db);
      });
      after(async () => {
        await onPglite?.close();
        await db?.close();
      });

      it(pglite.title, async () => {
        await pglite.check(running(onPglite).post);
      });
    });
  }
}
