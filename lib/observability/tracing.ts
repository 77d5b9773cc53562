// OpenTelemetry traces (the official SDK): one trace per request, from the gateway through each
// subgraph to each Salesforce call. W3C `traceparent` crosses every hop; @apollo/gateway's own
// spans (gateway.request / plan / fetch) join the same trace. Off unless configured with the
// standard variables (OTEL_TRACES_EXPORTER=otlp or OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT; the
// OTLP/HTTP exporter reads the rest of OTEL_* itself). Tests register an in-memory exporter.
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import type { NextFunction, Request, Response } from 'express';
import { readEnv, type Env } from '../config/registry.js';

const TRACER = 'c360-supergraph';
let provider: NodeTracerProvider | undefined;

export function tracingConfigured(env: Env): boolean {
  const e = readEnv(env);
  return (
    e.get('OTEL_TRACES_EXPORTER') === 'otlp' ||
    e.isSet('OTEL_EXPORTER_OTLP_ENDPOINT') ||
    e.isSet('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
  );
}

/** Starts tracing for this process when the environment configures it; a no-op otherwise. */
export function startTracing(service: string, env: Env): void {
  const e = readEnv(env);
  if (provider || !tracingConfigured(env) || e.get('OTEL_SDK_DISABLED')) return;
  register(new BatchSpanProcessor(new OTLPTraceExporter()), e.get('OTEL_SERVICE_NAME') ?? service);
}

/** Flushes and stops the exporter (at shutdown, so the last spans are not lost). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
}

/** Tests: every span of this process goes to `exporter` as soon as it ends. */
export function traceTo(exporter: SpanExporter): () => Promise<void> {
  register(new SimpleSpanProcessor(exporter), 'c360-test');
  return async () => {
    await provider?.shutdown();
    provider = undefined;
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

function register(processor: BatchSpanProcessor | SimpleSpanProcessor, service: string) {
  provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': service }),
    spanProcessors: [processor],
  });
  // Registers the W3C trace-context propagator and the AsyncLocalStorage context manager.
  provider.register();
}

const tracer = () => trace.getTracer(TRACER);

/**
 * Express middleware: a SERVER span per request, continuing the caller's trace from its
 * `traceparent`, active while the request is handled (so every span below is its child).
 */
export function traceRequests(service: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Tracing off (the default): no span, no context, no listener per request.
    if (!provider) {
      next();
      return;
    }
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method} ${service}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'c360.service': service,
          'http.request.method': req.method,
          'url.path': req.path,
        },
      },
      parent,
    );
    res.on('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Adds the active trace context to outgoing headers (`traceparent`, `tracestate`). */
export function injectTraceHeaders(
  set: (name: string, value: string) => void,
  ctx?: Context,
): void {
  if (!provider) return;
  propagation.inject(ctx ?? context.active(), {}, { set: (_c, k, v) => set(k, v) });
}

/** A CLIENT span around one Salesforce call. */
export function startUpstreamSpan(a: {
  family: string;
  method: string;
  endpoint: string;
  retry: boolean;
}): Span {
  return tracer().startSpan(`${a.family} ${a.method} ${a.endpoint}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'c360.upstream.family': a.family,
      'c360.upstream.endpoint': a.endpoint,
      'c360.upstream.retry': a.retry,
      'http.request.method': a.method,
    },
  });
}

export function endUpstreamSpan(span: Span, status: number, upstreamCode?: string): void {
  span.setAttribute('http.response.status_code', status);
  if (upstreamCode) span.setAttribute('c360.upstream.code', upstreamCode);
  if (status === 0 || status >= 400)
    span.setStatus({ code: SpanStatusCode.ERROR, message: upstreamCode });
  span.end();
}
