import { pino, type Logger } from 'pino';

import type { AccessLogInput } from '../../../policies/store/src/audit/index.js';
import {
  countStatements,
  type Database,
  type Queryable,
} from '../../../subgraphs/kit/src/index.js';

/** A plausible record of a cross-department read, numbered `i`. */
export function sampleRecord(i: number, writer = 'a'): AccessLogInput {
  return {
    subject: `u-${writer}-${String(i)}`,
    department: 'market',
    roles: ['analyst', 'viewer'],
    purpose: 'inspection',
    operationHash: `op-${String(i % 7)}`,
    operationText: `query Q${String(i)} { enterprises { name creditCode } stations { code } }`,
    operationName: i % 3 === 0 ? null : `Q${String(i)}`,
    read: {
      market: ['Enterprise.name'],
      environment: ['Station.code', 'Query.stations'],
    },
    withheld: [
      {
        coordinate: 'Enterprise.creditCode',
        path: ['enterprises', i % 5, 'creditCode'],
        code: 'FORBIDDEN_BY_NEGATIVE_LIST',
        rule: 'negative-list:NL-3@1',
      },
    ],
    masked:
      i % 2 === 0
        ? [{ coordinate: 'Person.mobile', rule: 'grant:G-7', mask: 'MOBILE' }]
        : [],
    outcome: i % 11 === 0 ? 'REJECTED' : 'PARTIAL',
    latencyMs: (i * 7) % 300,
  };
}

/** A logger that keeps its JSON lines, for assertions. */
export function memoryLogger(): { logger: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        lines.push(line);
      },
    },
  );
  return { logger, lines: () => lines };
}

/**
 * The kit's {@link countStatements}, extended to the statements run inside
 * `transaction` (which the kit's counter passes through uncounted): counts
 * the statements anywhere that insert into audit.access_log (a batch's one
 * statement, which also stores new operation texts and moves the chain's
 * head, begins with WITH), every statement, and the transactions begun.
 */
export function countInserts(db: Database): {
  db: Database;
  readonly inserts: number;
  /** Statements run outside `transaction`. */
  readonly outsideTransactions: number;
  /** Statements run anywhere (BEGIN and COMMIT of `transaction` aside). */
  readonly statements: number;
  /** Calls of `transaction`. */
  readonly transactions: number;
} {
  const counted = countStatements(db);
  let inserts = 0;
  let inside = 0;
  let transactions = 0;
  const isInsert = (text: string): boolean =>
    /\bINSERT\s+INTO\s+audit\.access_log\b(?!_)/i.test(text);
  const wrapped: Database = {
    ...counted.db,
    query: (text, values) => {
      if (isInsert(text)) inserts += 1;
      return counted.db.query(text, values);
    },
    transaction: (fn) => {
      transactions += 1;
      return counted.db.transaction((tx) => {
        const countedTx: Queryable = {
          query: (text, values) => {
            if (isInsert(text)) inserts += 1;
            inside += 1;
            return tx.query(text, values);
          },
        };
        return fn(countedTx);
      });
    },
  };
  return {
    db: wrapped,
    get inserts() {
      return inserts;
    },
    get outsideTransactions() {
      return counted.count;
    },
    get statements() {
      return counted.count + inside;
    },
    get transactions() {
      return transactions;
    },
  };
}

/** Runs `sql` with the append-only trigger disabled: a superuser's tampering. */
export async function tamper(db: Database, sql: string): Promise<void> {
  await db.exec(
    `ALTER TABLE audit.access_log DISABLE TRIGGER ALL; ${sql}; ALTER TABLE audit.access_log ENABLE TRIGGER ALL`,
  );
}

/** Number of rows in the access log. */
export async function countRows(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit.access_log',
  );
  return rows[0]?.n ?? -1;
}
