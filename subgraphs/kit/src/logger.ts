import { pino, type Logger } from 'pino';

/** The structured logger of a govgraph process (JSON lines on stdout). */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level });
}

export type { Logger };
