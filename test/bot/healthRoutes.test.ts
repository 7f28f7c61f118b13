import type { CloudAdapter } from 'botbuilder';
import type restify from 'restify';
import type { SignInPages } from '../../bot/auth/signInPages';
import type { HealthCheck } from '../../bot/health';
import { createLogger } from '../../bot/logger';
import { createServer } from '../../bot/server';
import type { TeamsBot } from '../../bot/teamsBot';

/**
 * The health routes of the real restify server, with checks whose state each test sets. The messaging parts are
 * never reached by these requests, so they are left out.
 */
const state: Record<string, boolean> = {};
const check = (name: string, readyOnly = false): HealthCheck => ({
  name, readyOnly, check: () => (state[name] === false ? Promise.reject(new Error(`${name} down: AccountKey=abc`)) : Promise.resolve()),
});
let server: restify.Server;
let url: string;
beforeAll(async () => {
  server = createServer({
    adapter: {} as unknown as CloudAdapter, bot: {} as unknown as TeamsBot, signIn: {} as unknown as SignInPages,
    health: [check('storage'), check('identityProvider', true), check('graph', true)],
    log: createLogger('silent'), localMode: false,
  });
  await new Promise<void>((done) => {
    server.listen(0, '127.0.0.1', () => done());
  });
  url = `http://127.0.0.1:${(server.address()).port}`;
});
afterAll(async () => {
  await new Promise<void>((done) => {
    server.close(() => done());
  });
});
beforeEach(() => {
  for (const name of ['storage', 'identityProvider', 'graph']) state[name] = true;
});

const get = async (path: string): Promise<{ status: number; body: unknown; text: string; cache: string | null }> => {
  const response = await fetch(`${url}${path}`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, text, cache: response.headers.get('cache-control') };
};

test('all up: live, ready and /healthz answer 200, without caching', async () => {
  expect(await get('/healthz/live')).toMatchObject({ status: 200, body: { ok: true }, cache: 'no-store' });
  expect(await get('/healthz/ready')).toMatchObject({
    status: 200, body: { ok: true, checks: { storage: 'ok', identityProvider: 'ok', graph: 'ok' } }, cache: 'no-store',
  });
  expect(await get('/healthz')).toMatchObject({ status: 200, body: { ok: true, checks: { storage: 'ok' } } });
});

test('storage down: live stays 200, ready and /healthz answer 503 naming storage, with no reason in the body', async () => {
  state.storage = false;
  expect((await get('/healthz/live')).status).toBe(200);
  const ready = await get('/healthz/ready');
  expect(ready).toMatchObject({ status: 503, body: { ok: false, checks: { storage: 'failed', identityProvider: 'ok', graph: 'ok' } } });
  expect(ready.text).not.toMatch(/AccountKey|down/);
  expect(await get('/healthz')).toMatchObject({ status: 503, body: { ok: false, checks: { storage: 'failed' } } });
});

test('identity provider down: ready answers 503 naming it; /healthz (no upstream checks) and live stay 200', async () => {
  state.identityProvider = false;
  expect(await get('/healthz/ready')).toMatchObject({ status: 503, body: { ok: false, checks: { identityProvider: 'failed', storage: 'ok', graph: 'ok' } } });
  expect(await get('/healthz')).toEqual(expect.objectContaining({ status: 200, body: { ok: true, checks: { storage: 'ok' } } }));
  expect((await get('/healthz/live')).status).toBe(200);
});
