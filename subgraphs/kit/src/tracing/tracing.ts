import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The instrumentation scope of every span govgraph makes. */
export const TRACER_NAME = 'govgraph';

/**
 * The tracer while tracing is installed ({@link installTracing}); `null`
 * otherwise, and then no govgraph code makes a span (the cost of tracing
 * off is one comparison per instrumented step).
 */
let tracer: Tracer | null = null;

/**
 * The W3C trace-context propagator, loaded with the SDK by
 * {@link installTracing} (a process that does not trace never loads it).
 */
let w3c: TextMapPropagator | null = null;

/** The tracer when tracing is on, else `null`. */
export function activeTracer(): Tracer | null {
  return tracer;
}

/** Tracing installed in this process: flush and stop it. */
export interface Tracing {
  /** Exports every span ended so far. */
  flush(): Promise<void>;
  /**
   * Exports what is left, stops the provider and uninstalls it from the
   * OpenTelemetry API (context manager and propagator too). Idempotent.
   */
  shutdown(): Promise<void>;
}

/** Options of {@link installTracing}. */
export interface TracingOptions {
  /** `service.name` of the spans, e.g. `govgraph-gateway`. */
  serviceName: string;
  /** Where ended spans go (OTLP, or an in-memory exporter in tests). */
  exporter: SpanExporter;
  /**
   * `batch` (default) exports in the background in batches; `simple`
   * exports each span as it ends (tests).
   */
  processor?: 'batch' | 'simple';
}

/**
 * Installs OpenTelemetry tracing in this process: a Node tracer provider
 * that samples every trace and sends ended spans to `options.exporter`,
 * registered with the OpenTelemetry API together with the
 * AsyncLocalStorage context manager and the W3C trace-context propagator,
 * so that libraries that trace through the API (@apollo/gateway's
 * `gateway.*` spans) join the same traces. One installation per process at
 * a time.
 */
export async function installTracing(
  options: TracingOptions,
): Promise<Tracing> {
  if (tracer !== null) {
    throw new Error('tracing is already installed in this process');
  }
  // The SDK is loaded only by a process that traces.
  const [
    { W3CTraceContextPropagator },
    { resourceFromAttributes },
    {
      AlwaysOnSampler,
      BatchSpanProcessor,
      SamplingDecision,
      SimpleSpanProcessor,
    },
    { NodeTracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  if (tracer !== null) {
    throw new Error('tracing is already installed in this process');
  }
  const propagator = new W3CTraceContextPropagator();
  // Every trace is recorded until shutdown, nothing after it: libraries
  // that cached this provider's tracer (@apollo/gateway does) then make
  // non-recording spans only.
  let stopped = false;
  const always = new AlwaysOnSampler();
  const sampler: Sampler = {
    shouldSample: () =>
      stopped
        ? { decision: SamplingDecision.NOT_RECORD }
        : always.shouldSample(),
    toString: () => 'AlwaysOnUntilShutdown',
  };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler,
    spanProcessors: [
      options.processor === 'simple'
        ? new SimpleSpanProcessor(options.exporter)
        : new BatchSpanProcessor(options.exporter),
    ],
  });
  provider.register({ propagator });
  w3c = propagator;
  tracer = provider.getTracer(TRACER_NAME);
  let stopping: Promise<void> | undefined;
  return {
    flush: () => provider.forceFlush(),
    shutdown() {
      stopping ??= (async () => {
        tracer = null;
        w3c = null;
        stopped = true;
        try {
          await provider.shutdown();
        } finally {
          trace.disable();
          context.disable();
          propagation.disable();
        }
      })();
      return stopping;
    },
  };
}

/** The tracing settings of every process (the kit's and the gateway's schemas). */
export interface TracingEnv {
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly OTEL_SERVICE_NAME?: string | undefined;
}

/**
 * The OTLP/HTTP traces URL of an `OTEL_EXPORTER_OTLP_ENDPOINT`: the
 * endpoint with `v1/traces` appended to its path (the OTLP exporter
 * specification's rule for the signal-less endpoint).
 */
export function otlpTracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/**
 * Tracing as the environment asks: exported over OTLP/HTTP (protobuf) to
 * `OTEL_EXPORTER_OTLP_ENDPOINT` under `OTEL_SERVICE_NAME` (default
 * `defaultServiceName`) when the endpoint is set; `null`, and nothing
 * installed, when it is not.
 */
export async function tracingFromEnv(
  env: TracingEnv,
  defaultServiceName: string,
): Promise<Tracing | null> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || endpoint === '') return null;
  const { OTLPTraceExporter } =
    await import('@opentelemetry/exporter-trace-otlp-http');
  return installTracing({
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    exporter: new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) }),
  });
}

/**
 * Runs `fn` in a new active span `name` when tracing is on (ending it when
 * `fn` settles, with status ERROR when it throws), or just runs it with
 * `null` when tracing is off.
 */
export function withSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span | null) => Promise<T>,
): Promise<T> {
  const active = tracer;
  if (active === null) return fn(null);
  return active.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Marks a span failed: status ERROR with the error's class name only (a
 * message may quote values the caller may not read, so none is recorded).
 */
export function failSpan(span: Span, error: unknown): void {
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.name : 'error',
  });
}

/** The trace id of the active span, when there is a valid one. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * The W3C `traceparent` of `span` (`00-<trace id>-<span id>-<flags>`), or
 * `undefined` when its context is not valid or tracing is off.
 */
export function traceparentOf(span: Span): string | undefined {
  if (w3c === null) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, {
    set: (c, key, value) => {
      c[key] = value;
    },
  });
  return carrier['traceparent'];
}

/** A W3C `traceparent` of version 00, lower-case hex. */
export const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The context whose remote parent is `traceparent` (the root context when
 * it is absent or not a valid W3C traceparent, or tracing is off).
 */
export function contextOfTraceparent(
  traceparent: string | undefined | null,
): Context {
  if (traceparent === undefined || traceparent === null || w3c === null) {
    return ROOT_CONTEXT;
  }
  return w3c.extract(
    ROOT_CONTEXT,
    { traceparent },
    {
      get: (c, key) => c[key as 'traceparent'],
      keys: (c) => Object.keys(c),
    },
  );
}

/**
 * pino's `mixin`: the active span's `trace_id` and `span_id` on every log
 * line written within a span (the field names of OpenTelemetry's log data
 * model), nothing outside one.
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const { traceId, spanId } = span.spanContext();
  return isSpanContextValid(span.spanContext())
    ? { trace_id: traceId, span_id: spanId }
    : {};
}
