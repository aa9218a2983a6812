import { createServer, type Server, type Socket } from 'node:net';

import type { PGlite } from '@electric-sql/pglite';

import type { Database } from './Database.js';
import { embeddedOf } from './embeddedInstances.js';

/** What {@link serveEmbeddedDatabase} returns. */
export interface ServedDatabase {
  /** `postgres://postgres@host:port/postgres`, for `pg` and `psql`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves an embedded (PGlite) database over the PostgreSQL wire protocol on
 * a loopback port, so that the command-line tools (and `psql`) can use the
 * database a running hub holds instead of opening its folder a second time.
 * PGlite has one session: while a client is connected, it has the database
 * to itself and the hub's own statements wait (keep such sessions short);
 * further clients wait their turn. Messages are passed whole to PGlite's
 * protocol entry point (`execProtocolRaw`), which also answers the startup
 * startup message (SSL and GSSAPI requests are refused here). The URL is
 * recorded in the folder's lock (see openHubDatabase).
 * @throws Error when `db` is not an embedded database
 */
export async function serveEmbeddedDatabase(
  db: Database,
  options: { host?: string; port?: number } = {},
): Promise<ServedDatabase> {
  const { pglite, lock } = embeddedOf(db) ?? {};
  if (pglite === undefined) {
    throw new Error('only an embedded (PGlite) database can be served');
  }
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    void serveClient(pglite, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `postgres://postgres@${host}:${String(port)}/postgres`;
  // The command-line tools find the URL in the folder's lock.
  lock?.announce(url);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One client's session, holding PGlite exclusively until it ends. */
async function serveClient(pglite: PGlite, socket: Socket): Promise<void> {
  let pending = Buffer.alloc(0);
  let started = false;
  let wake: (() => void) | null = null;
  let ended = false;
  const queue: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    // Cut whole messages: the startup ones have no type byte.
    for (;;) {
      const header = started ? 5 : 4;
      if (pending.length < header) break;
      const length = pending.readUInt32BE(started ? 1 : 0);
      const total = (started ? 1 : 0) + length;
      if (pending.length < total) break;
      const message = pending.subarray(0, total);
      pending = pending.subarray(total);
      // An SSLRequest or GSSENCRequest may precede the startup message:
      // answered "N" (not supported) here, PGlite would abort on them.
      if (!started) {
        const code = message.length >= 8 ? message.readUInt32BE(4) : 0;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write('N');
          continue;
        }
        started = true;
      }
      queue.push(message);
    }
    wake?.();
  });
  const finish = (): void => {
    ended = true;
    wake?.();
  };
  socket.once('close', finish);
  socket.once('error', finish);
  // Both of PGlite's locks: no hub statement runs meanwhile, and a client
  // never lands inside a transaction of the hub's, nor the hub in one of
  // the client's.
  await pglite._runExclusiveTransaction(() =>
    pglite.runExclusive(async () => {
      let idle = true;
      while (!ended) {
        const message = queue.shift();
        if (message === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        if (started && message[0] === TERMINATE) {
          socket.end();
          break;
        }
        const answer = await pglite.execProtocolRaw(new Uint8Array(message));
        idle = transactionIdle(answer) ?? idle;
        if (answer.length > 0 && socket.writable) socket.write(answer);
      }
      // A client gone in the middle of a transaction leaves none open.
      if (!idle) await pglite.execProtocolRaw(simpleQuery('ROLLBACK'));
    }),
  );
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'

/**
 * Whether the session is outside a transaction after `answer`, when it ends
 * with ReadyForQuery; null otherwise.
 */
function transactionIdle(answer: Uint8Array): boolean | null {
  const at = answer.length - 6;
  if (at < 0 || answer[at] !== READY_FOR_QUERY) return null;
  return answer[answer.length - 1] === IDLE;
}

/** A simple-protocol Query message. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51; // 'Q'
  message.writeUInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}
