import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkHealth, httpReachable, httpServes, legacyChecks, productionHealthChecks, sharedProbe, type HealthCheck,
} from '../../bot/health';

/** A local HTTP server standing in for Entra ID and Graph: records each request, answers with `status`. */
let server: Server;
let base: string;
let status = 200;
let hold = false;
const seen: Array<{ method: string; url: string }> = [];
beforeAll(async () => {
  server = createHttpServer((request: IncomingMessage, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '' });
    if (hold) return; // never answers: the timeout must end the check
    // Not chained: restify, loaded by other suites of the same worker, replaces writeHead with one returning nothing.
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});
beforeEach(() => {
  status = 200;
  hold = false;
  seen.length = 0;
});

const ok = (name: string): HealthCheck => ({ name, check: () => Promise.resolve() });
const down = (name: string, reason: string): HealthCheck => ({ name, check: () => Promise.reject(new Error(reason)) });

test('the report names each check with ok or failed only; the reason goes to the failure sink', async () => {
  const reasons: Array<[string, string]> = [];
  const report = await checkHealth([ok('storage'), down('graph', 'connect ECONNREFUSED 10.0.0.1:443 key=secret')],
    (name, reason) => reasons.push([name, reason]));
  expect(report).toEqual({ ok: false, checks: { storage: 'ok', graph: 'failed' } });
  expect(JSON.stringify(report)).not.toContain('secret');
  expect(reasons).toEqual([['graph', 'connect ECONNREFUSED 10.0.0.1:443 key=secret']]);
});

test('a check that never answers fails after the timeout', async () => {
  const hung: HealthCheck = { name: 'storage', check: () => new Promise(() => undefined) };
  const reasons: string[] = [];
  expect(await checkHealth([hung], (_name, reason) => reasons.push(reason), 50)).toEqual({ ok: false, checks: { storage: 'failed' } });
  expect(reasons).toEqual(['no answer in 50 ms']);
});

test('production checks ask the configured hosts: the tenant\'s OpenID configuration (GET) and Graph\'s root (HEAD)', async () => {
  const checks = productionHealthChecks({ aad: { authority: `${base}/tenant-1` } as never, graphBaseUrl: base });
  expect(checks.map((item) => [item.name, item.readyOnly])).toEqual([['identityProvider', true], ['graph', true]]);
  expect(await checkHealth(checks)).toEqual({ ok: true, checks: { identityProvider: 'ok', graph: 'ok' } });
  expect(seen.sort((a, b) => a.url.localeCompare(b.url))).toEqual([
    { method: 'GET', url: '/tenant-1/v2.0/.well-known/openid-configuration' },
    { method: 'HEAD', url: '/v1.0/' },
  ]);
});

test('production: Graph answering 401 is reachable; the identity provider answering an error status (e.g. an unknown tenant) is not', async () => {
  status = 401;
  const [identity, graph] = productionHealthChecks({ aad: { authority: `${base}/t` } as never, graphBaseUrl: base });
  const reasons: string[] = [];
  expect(await checkHealth([graph, identity], (name, reason) => reasons.push(`${name}: ${reason}`)))
    .toEqual({ ok: false, checks: { graph: 'ok', identityProvider: 'failed' } });
  expect(reasons).toEqual(['identityProvider: HTTP 401']);
});

test('production checks give up after their own short timeout', async () => {
  hold = true;
  const started = performance.now();
  const report = await checkHealth(productionHealthChecks({ aad: { authority: `${base}/t` } as never, graphBaseUrl: base }, 100));
  expect(report).toEqual({ ok: false, checks: { identityProvider: 'failed', graph: 'failed' } });
  expect(performance.now() - started).toBeLessThan(1500);
});

test('an unreachable host fails both kinds of HTTP check', async () => {
  const closed = 'http://127.0.0.1:9';
  expect(await checkHealth([httpReachable('graph', `${closed}/v1.0/`), httpServes('identityProvider', `${closed}/.well-known/openid-configuration`)]))
    .toEqual({ ok: false, checks: { graph: 'failed', identityProvider: 'failed' } });
});

test('/healthz keeps its checks: the ready-only ones are left out', () => {
  const checks = [ok('storage'), { ...ok('identityProvider'), readyOnly: true }];
  expect(legacyChecks(checks).map((item) => item.name)).toEqual(['storage']);
});

test('callers arriving during a run share it (no amplification of upstream requests)', async () => {
  let runs = 0;
  let release: () => void = () => undefined;
  const slow: HealthCheck = { name: 'graph', check: () => { runs += 1; return new Promise<void>((done) => { release = done; }); } };
  const probe = sharedProbe([slow]);
  const first = probe();
  const second = probe();
  release();
  expect(await Promise.all([first, second])).toEqual([{ ok: true, checks: { graph: 'ok' } }, { ok: true, checks: { graph: 'ok' } }]);
  expect(runs).toBe(1);
  const third = probe();
  release();
  await third;
  expect(runs).toBe(2);
});
