import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One export the collector received (OTLP/HTTP JSON). */
export interface OtlpRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, for scans (no token anywhere in it). */
  text: string;
  body: unknown;
}

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value: AnyValue };
export type OtlpAttributes = Record<string, string | number | boolean | undefined>;

/** A span as exported, attributes flattened. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  attributes: OtlpAttributes;
  status: { code?: number };
  events: Array<{ name: string; attributes: OtlpAttributes }>;
  resource: OtlpAttributes;
}

/** One metric data point: a sum's value or a histogram's count, with its attributes. */
export interface OtlpPoint {
  metric: string;
  attributes: OtlpAttributes;
  value: number;
}

const flatten = (attributes: KeyValue[] | undefined): OtlpAttributes => Object.fromEntries((attributes ?? []).map(({ key, value }) => [
  key, value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)) ?? value.doubleValue ?? value.boolValue,
]));

/**
 * An in-process OTLP/HTTP collector on 127.0.0.1: answers every POST 200 `{}` and keeps what it got at /v1/traces and
 * /v1/metrics (JSON). For tests of bot/telemetry, in the test's process or a bot child process alike.
 */
export class OtlpCollector {
  private constructor(private readonly server: Server, readonly url: string, readonly requests: OtlpRequest[]) {}

  static async start(): Promise<OtlpCollector> {
    const requests: OtlpRequest[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        requests.push({ path: request.url ?? '', headers: request.headers, text, body });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new OtlpCollector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
  }

  /** Every span received, in arrival order. */
  spans(): OtlpSpan[] {
    return this.requests.filter((r) => r.path === '/v1/traces').flatMap((r) => {
      const body = r.body as { resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }> };
      return (body.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => ({
        traceId: s.traceId as string,
        spanId: s.spanId as string,
        parentSpanId: (s.parentSpanId as string | undefined) || undefined,
        name: s.name as string,
        kind: s.kind as number,
        attributes: flatten(s.attributes as KeyValue[]),
        status: s.status ?? {},
        events: ((s.events ?? []) as Array<{ name: string; attributes?: KeyValue[] }>).map((e) => ({ name: e.name, attributes: flatten(e.attributes) })),
        resource: flatten(rs.resource?.attributes),
      }))));
    });
  }

  /** The points of metric `name` in the last metrics export that has it (cumulative temporality: the last one is the total). */
  points(name: string): OtlpPoint[] {
    const exports = this.requests.filter((r) => r.path === '/v1/metrics').map((r) => {
      const body = r.body as { resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<Record<string, unknown>> }> }> };
      return (body.resourceMetrics ?? []).flatMap((rm) => (rm.scopeMetrics ?? []).flatMap((sm) => sm.metrics ?? [])).filter((m) => m.name === name);
    }).filter((metrics) => metrics.length > 0);
    return (exports.at(-1) ?? []).flatMap((metric) => {
      const sum = metric.sum as { dataPoints?: Array<{ attributes?: KeyValue[]; asInt?: string | number; asDouble?: number }> } | undefined;
      const histogram = metric.histogram as { dataPoints?: Array<{ attributes?: KeyValue[]; count?: string | number }> } | undefined;
      return [
        ...(sum?.dataPoints ?? []).map((p) => ({ metric: name, attributes: flatten(p.attributes), value: Number(p.asInt ?? p.asDouble ?? 0) })),
        ...(histogram?.dataPoints ?? []).map((p) => ({ metric: name, attributes: flatten(p.attributes), value: Number(p.count ?? 0) })),
      ];
    });
  }

  clear(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
