import { pino, type Logger } from 'pino';

import { traceLogFields } from './tracing/tracing.js';

/**
 * The structured logger of a govgraph process (JSON lines on stdout); a
 * line written within a traced request carries its `trace_id` and `span_id`.
 */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, mixin: traceLogFields });
}

export type { Logger };
