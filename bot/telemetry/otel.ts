import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_ERROR_TYPE, ATTR_EXCEPTION_TYPE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { AppConfig } from '../config';
import { withLogContext } from '../logContext';
import type { Logger } from '../logger';
import type { ActiveSpan, SpanKindName, Telemetry, TelemetryAttributes, TelemetryOptions } from './index';

const SCOPE = 'access-review-bot';
const KINDS: Record<SpanKindName, SpanKind> = { internal: SpanKind.INTERNAL, server: SpanKind.SERVER, client: SpanKind.CLIENT };

/** OTel attributes without the undefined values our callers may pass. */
const defined = (attributes: TelemetryAttributes): Attributes =>
  Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined));

/** An error's type for telemetry: an AppError's code or the class name; never its message (it may quote a user or a token). */
const errorType = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(code) ? code : error.name;
  }
  return 'unknown';
};

/**
 * The SDK, set up from configuration alone (url, headers, service name, sampler passed explicitly), with no global
 * provider or context manager registered: the parent of a span is found through this object's own
 * AsyncLocalStorage, so nothing outside the bot's own spans (botbuilder, msal, the Azure SDK) is traced.
 */
export function otelTelemetry(settings: AppConfig['telemetry'], endpoint: string, log: Logger, options: TelemetryOptions): Telemetry {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName });
  const headers = { ...settings.headers };
  const tracerProvider = new TracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }) })],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics`, headers }),
      exportIntervalMillis: options.metricIntervalMs ?? 60_000,
      exportTimeoutMillis: Math.min(30_000, options.metricIntervalMs ?? 30_000),
    })],
  });
  const tracer = tracerProvider.getTracer(SCOPE);
  const meter = meterProvider.getMeter(SCOPE);
  const turns = meter.createCounter('bot.turns', { description: 'Activities the bot processed', unit: '{turn}' });
  const turnDuration = meter.createHistogram('bot.turn.duration', { description: 'Time to answer an activity', unit: 's' });
  const graphRequests = meter.createCounter('graph.requests', { description: 'HTTP requests to Microsoft Graph, retries included', unit: '{request}' });
  const graphDuration = meter.createHistogram('graph.request.duration', { description: 'Duration of one HTTP request to Microsoft Graph', unit: 's' });
  const digests = meter.createCounter('bot.digests.posted', { description: 'Digest cards posted or refreshed in channels', unit: '{digest}' });
  const active = new AsyncLocalStorage<{ context: Context; handle: ActiveSpan }>();
  let stopped: Promise<void> | undefined;

  return {
    enabled: true,
    async inSpan(name, attributes, work, kind = 'internal') {
      const parent = active.getStore()?.context ?? ROOT_CONTEXT;
      const span: Span = tracer.startSpan(name, { kind: KINDS[kind], attributes: defined(attributes) }, parent);
      let failed = false;
      const handle: ActiveSpan = {
        setAttributes: (more) => span.setAttributes(defined(more)),
        fail: (type) => {
          failed = true;
          span.setAttribute(ATTR_ERROR_TYPE, type);
          span.setStatus({ code: SpanStatusCode.ERROR });
        },
        get failed() {
          return failed;
        },
      };
      const { traceId, spanId } = span.spanContext();
      try {
        return await active.run({ context: trace.setSpan(parent, span), handle }, () => withLogContext({ traceId, spanId }, () => work(handle)));
      } catch (error) {
        const type = errorType(error);
        span.addEvent('exception', { [ATTR_EXCEPTION_TYPE]: type });
        handle.fail(type);
        throw error;
      } finally {
        span.end();
      }
    },
    failActiveSpan(type) {
      active.getStore()?.handle.fail(type);
    },
    countTurn(attributes, seconds) {
      turns.add(1, defined(attributes));
      turnDuration.record(seconds, defined(attributes));
    },
    countGraphRequest(attributes, seconds) {
      graphRequests.add(1, defined(attributes));
      graphDuration.record(seconds, defined(attributes));
    },
    countDigest(action) {
      digests.add(1, { 'digest.action': action });
    },
    shutdown() {
      stopped ??= Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]).then((results) => {
        const failed = results.filter((result) => result.status === 'rejected');
        if (failed.length > 0) log.warn({ endpoint, err: failed[0]?.reason }, 'telemetry: the last export failed');
      });
      return stopped;
    },
  };
}
