// OpenTelemetry traces: installed per process when OTEL_EXPORTER_OTLP_ENDPOINT
// is set (tracingFromEnv), else nothing is installed and no span is made.
export {
  activeTracer,
  contextOfTraceparent,
  currentTraceId,
  failSpan,
  installTracing,
  otlpTracesUrl,
  TRACEPARENT,
  traceLogFields,
  traceparentOf,
  TRACER_NAME,
  tracingFromEnv,
  withSpan,
  type Tracing,
  type TracingEnv,
  type TracingOptions,
} from './tracing.js';
export { statementSummary, traceDatabase } from './traceDatabase.js';
export { MAX_RESOLVER_SPANS, traceResolvers } from './traceResolvers.js';
