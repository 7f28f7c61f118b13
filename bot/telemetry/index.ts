import type { AppConfig } from '../config';
import type { Logger } from '../logger';

/**
 * Optional OpenTelemetry export (issue 14, item 4): traces for turns, Graph requests and scheduled runs; metrics for
 * turns, Graph requests (throttling included) and digests posted. On only when OTEL_EXPORTER_OTLP_ENDPOINT is set;
 * otherwise {@link noTelemetry}: the SDK is not even loaded, nothing global is registered, no socket is opened.
 *
 * Attributes are ids, kinds and counts only: never a token, a header, message text, card data, a query string or a
 * user principal name (Graph paths are exported as templates, ids replaced by `{id}`).
 */
export type TelemetryAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

export type SpanKindName = 'internal' | 'server' | 'client';

/** The span a piece of work runs in, for what is known only once it is done (a status code, an outcome). */
export interface ActiveSpan {
  setAttributes(attributes: TelemetryAttributes): void;
  /** Marks the span failed without an exception (a 5xx answer); `errorType` is a code or a status, never a message. */
  fail(errorType: string): void;
  /** Whether it was marked failed (by {@link ActiveSpan.fail} or {@link Telemetry.failActiveSpan}). */
  readonly failed: boolean;
}

export interface Telemetry {
  readonly enabled: boolean;
  /**
   * Runs `work` in a span, child of the span in progress (turn → Graph request). A throw ends the span with error
   * status and an exception event carrying the error's type only, then is rethrown. While enabled, the span's
   * traceId and spanId are on every log line written inside it (bot/logContext.ts).
   */
  inSpan<T>(name: string, attributes: TelemetryAttributes, work: (span: ActiveSpan) => Promise<T>, kind?: SpanKindName): Promise<T>;
  /**
   * Marks the innermost span in progress failed: a turn whose error the adapter's onTurnError handled (the user got
   * an apology and the HTTP answer is still 200), so it is not counted as `ok`.
   */
  failActiveSpan(errorType: string): void;
  /** One turn: `bot.turns` and `bot.turn.duration`. */
  countTurn(attributes: TelemetryAttributes, seconds: number): void;
  /** One HTTP request to Graph (each retry counts): `graph.requests` and `graph.request.duration`. */
  countGraphRequest(attributes: TelemetryAttributes, seconds: number): void;
  /** A digest card sent to a channel: `bot.digests.posted` (`digest.action` posted or refreshed). */
  countDigest(action: 'posted' | 'refreshed'): void;
  /** Exports what is buffered and stops (graceful stop); later calls do nothing. */
  shutdown(): Promise<void>;
}

const NO_SPAN: ActiveSpan = { setAttributes: () => undefined, fail: () => undefined, failed: false };

/** Telemetry off: every call is a plain function call. */
export const noTelemetry: Telemetry = {
  enabled: false,
  inSpan: (_name, _attributes, work) => work(NO_SPAN),
  failActiveSpan: () => undefined,
  countTurn: () => undefined,
  countGraphRequest: () => undefined,
  countDigest: () => undefined,
  shutdown: () => Promise.resolve(),
};

export interface TelemetryOptions {
  /** How often metrics are exported (default 60 s); shutdown exports the rest. */
  metricIntervalMs?: number;
}

/**
 * Telemetry as configured: {@link noTelemetry} without an endpoint; with one, OTLP/HTTP (JSON) exporters to
 * `${endpoint}/v1/traces` and `${endpoint}/v1/metrics` with the configured headers. The SDK is loaded only then
 * (about 11 MB of memory and 0.1 s of start-up a deployment without a collector does not spend).
 */
export function startTelemetry(config: Pick<AppConfig, 'telemetry'>, log: Logger, options: TelemetryOptions = {}): Telemetry {
  const { endpoint } = config.telemetry;
  if (endpoint === undefined) return noTelemetry;
  // require, not import(): synchronous for the composition root, and jest runs without VM modules (import() fails there).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { otelTelemetry } = require('./otel') as typeof import('./otel');
  const telemetry = otelTelemetry(config.telemetry, endpoint, log, options);
  // Header names only: their values (API keys) are secrets.
  log.info({ endpoint, serviceName: config.telemetry.serviceName, headers: Object.keys(config.telemetry.headers) }, 'telemetry: exporting over OTLP/HTTP');
  return telemetry;
}
