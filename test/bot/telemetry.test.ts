import { execFile } from 'node:child_process';
import jwt from 'jsonwebtoken';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { graphPathTemplate } from '../../bot/graph/graphTelemetry';
import { createLogger } from '../../bot/logger';
import { noTelemetry, startTelemetry } from '../../bot/telemetry';
import { OtlpCollector } from '../support/otlpCollector';
import { SCENARIO } from '../support/telemetryScenario';

/**
 * OpenTelemetry export (issue 14, item 4) against an in-process OTLP/HTTP collector: with an endpoint, spans for a
 * turn and its Graph requests (each attempt, the throttled one too) and metric points arrive, and nothing secret is in
 * them; without one, the same work sends nothing at all.
 */
const execFileAsync = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const SCENARIO_FILE = join(ROOT, 'test', 'support', 'telemetryScenario.ts');
const TOKEN = jwt.sign({ sub: 'telemetry-test' }, 'test-signing-key');
const { definition: DEFINITION, upn: UPN } = SCENARIO;

/** A tiny Graph: 200 for /me and a user, 429 (Retry-After: 0) once for a definition, then 200. */
async function startGraph(): Promise<{ url: string; authorizations: string[]; server: Server; reset(): void }> {
  const authorizations: string[] = [];
  let throttled = false;
  const reset = (): void => {
    authorizations.length = 0;
    throttled = false;
  };
  const server = createServer((request: IncomingMessage, response) => {
    authorizations.push(request.headers.authorization ?? '');
    if (request.url?.includes('/definitions/') && !throttled) {
      throttled = true;
      response.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: DEFINITION, displayName: 'Quarterly guests' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations, server, reset };
}

let collector: OtlpCollector;
let graph: Awaited<ReturnType<typeof startGraph>>;

beforeAll(async () => {
  collector = await OtlpCollector.start();
  graph = await startGraph();
});
afterAll(async () => {
  await collector.stop();
  graph.server.closeAllConnections();
  await new Promise<void>((resolve) => graph.server.close(() => resolve()));
});
beforeEach(() => {
  collector.clear();
  graph.reset();
});

/** Runs test/support/telemetryScenario.ts in its own process (see there why) and returns its log lines. */
async function runScenario(endpoint: string | undefined): Promise<string[]> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', SCENARIO_FILE, graph.url, TOKEN, endpoint ?? '-'], {
    cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '--no-deprecation' }, timeout: 20_000,
  });
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  expect(lines.at(-1)).toContain('scenario done');
  return lines;
}

describe('with an endpoint', () => {
  test('a turn span with its Graph spans as children, metric points for requests and throttling, and nothing secret', async () => {
    const lines = await runScenario(collector.url);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ enabled: true, globalProvider: 'NoopTracerProvider', sdkLoaded: true });

    const spans = collector.spans();
    const turn = spans.find((s) => s.name === 'turn' && s.attributes['bot.turn.id'] === 'turn0001');
    expect(turn?.attributes).toMatchObject({ 'bot.activity.type': 'message', 'bot.conversation.type': 'personal', 'bot.turn.id': 'turn0001', 'http.response.status_code': 200 });
    expect(turn?.kind).toBe(2); // SERVER
    expect(turn?.resource['service.name']).toBe('bot-under-test');
    const children = spans.filter((s) => s.parentSpanId === turn?.spanId);
    expect(children.map((s) => s.name)).toEqual([
      'GET /v1.0/me', 'GET /v1.0/users/{id}',
      'GET /v1.0/identityGovernance/accessReviews/definitions/{id}', 'GET /v1.0/identityGovernance/accessReviews/definitions/{id}',
    ]);
    expect(children.every((s) => s.traceId === turn?.traceId && s.kind === 3)).toBe(true); // CLIENT
    expect(children.map((s) => [s.attributes['http.response.status_code'], s.attributes['graph.throttled']])).toEqual([[200, false], [200, false], [429, true], [200, false]]);
    expect(children[2]?.status.code).toBe(2); // ERROR
    expect(children[0]?.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.template': '/v1.0/me', 'server.address': '127.0.0.1' });
    expect(spans.find((s) => s.name === 'digest.run')?.attributes['bot.run.id']).toBe('run00001');

    // A throw: error status, and an exception event with the type only (the message quoted the token and a UPN).
    const failed = spans.find((s) => s.name === 'nudges.pass');
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes['error.type']).toBe('GraphUnavailable');
    expect(failed?.events).toEqual([{ name: 'exception', attributes: { 'exception.type': 'GraphUnavailable' } }]);

    const requests = collector.points('graph.requests');
    const count = (match: Record<string, unknown>): number =>
      requests.filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v)).reduce((n, p) => n + p.value, 0);
    expect(count({})).toBe(4);
    expect(count({ 'graph.throttled': true, 'http.response.status_class': '4xx' })).toBe(1);
    expect(count({ 'http.response.status_class': '2xx', 'graph.throttled': false })).toBe(3);
    expect(collector.points('graph.request.duration').reduce((n, p) => n + p.value, 0)).toBe(4);
    expect(collector.points('bot.turns')).toEqual(expect.arrayContaining([
      expect.objectContaining({ value: 1, attributes: expect.objectContaining({ 'bot.turn.outcome': 'ok', 'bot.activity.type': 'message' }) }),
      // The handled failure: answered 200, counted as an error, its span failed with the error's code.
      expect.objectContaining({ value: 1, attributes: expect.objectContaining({ 'bot.turn.outcome': 'error', 'bot.activity.type': 'message' }) }),
    ]));
    const handled = spans.find((s) => s.name === 'turn' && s.attributes['bot.turn.id'] === 'turn0002');
    expect({ status: handled?.status.code, errorType: handled?.attributes['error.type'], http: handled?.attributes['http.response.status_code'] })
      .toEqual({ status: 2, errorType: 'Internal', http: 200 });
    expect(collector.points('bot.digests.posted')).toEqual([expect.objectContaining({ value: 1, attributes: { 'digest.action': 'posted' } })]);

    // The Graph server did get the token; the collector got none of it, nor the UPN, the query or the answers' text.
    expect(graph.authorizations.length).toBe(4);
    expect(graph.authorizations.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
    const exported = collector.requests.map((r) => r.text).join('\n');
    for (const secret of [TOKEN, TOKEN.slice(0, 20), 'Bearer', UPN, 'adele', 'displayName', 'Quarterly', 'slow down', 'collector-secret']) expect(exported).not.toContain(secret);
    expect(exported.toLowerCase()).not.toContain('authorization');
    // The configured headers (an API key, say) go with every export; one export per signal, at shutdown.
    expect(collector.requests.every((r) => r.headers['x-api-key'] === 'collector-secret')).toBe(true);
    expect(collector.requests.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
    // Logs and traces are linked: the line written inside the turn carries its traceId.
    expect(JSON.parse(lines.find((l) => l.includes('inside the turn')) ?? '{}')).toMatchObject({ traceId: turn?.traceId });
  });
});

describe('without an endpoint', () => {
  test('the same work exports nothing: zero requests reach the collector; no SDK loaded, no global provider, no log correlation', async () => {
    const lines = await runScenario(undefined);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ enabled: false, globalProvider: 'NoopTracerProvider', sdkLoaded: false });
    expect(graph.authorizations.length).toBe(4);
    expect(collector.requests).toHaveLength(0);
    expect(JSON.parse(lines.find((l) => l.includes('inside the turn')) ?? '{}')).not.toHaveProperty('traceId');
  });

  test('startTelemetry without an endpoint is the no-op object, and its spans just run the work', async () => {
    const telemetry = startTelemetry({ telemetry: { endpoint: undefined, headers: {}, serviceName: 'x' } }, createLogger('silent'));
    expect(telemetry).toBe(noTelemetry);
    await expect(telemetry.inSpan('turn', {}, () => Promise.resolve(42))).resolves.toBe(42);
    await expect(telemetry.inSpan('turn', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

test.each([
  ['/v1.0/me', '/v1.0/me'],
  ['/v1.0/users/adele@contoso.local', '/v1.0/users/{id}'],
  ['/v1.0/users/adele%40contoso.local/memberOf', '/v1.0/users/{id}/memberOf'],
  [`/v1.0/identityGovernance/accessReviews/definitions/${DEFINITION}/instances/${DEFINITION}/decisions`,
    '/v1.0/identityGovernance/accessReviews/definitions/{id}/instances/{id}/decisions'],
  ['/v1.0/groups/abc/transitiveMembers/microsoft.graph.user/$count', '/v1.0/groups/{id}/transitiveMembers/microsoft.graph.user/$count'],
  ["/v1.0/identityGovernance/accessReviews/definitions/filterByCurrentUser(on='reviewer')", '/v1.0/identityGovernance/accessReviews/definitions/{id}'],
  ["/beta/me/foo(name='Adele')", '/beta/me/foo({id})'],
  ['/v1.0/$batch', '/v1.0/$batch'],
])('graph path template %s → %s', (path, template) => {
  expect(graphPathTemplate(path)).toBe(template);
});
