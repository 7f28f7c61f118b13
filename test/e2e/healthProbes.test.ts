import { startBot, type BotProcess } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';

/**
 * Liveness and readiness of the real bot process (local mode: storage, the local identity provider and the Graph
 * emulator are its dependencies), with the local tenant up, then stopped under the running bot.
 */
let tenant: LocalTenant;
let bot: BotProcess;
beforeAll(async () => {
  tenant = await startLocalTenant();
  bot = await startBot(tenant);
});
afterAll(async () => {
  await bot.stop();
  await tenant.dispose();
});

const probe = async (path: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${bot.url}${path}`);
  return { status: response.status, body: await response.json() };
};

test('all dependencies up: live, ready and /healthz answer 200', async () => {
  expect(await probe('/healthz/live')).toEqual({ status: 200, body: { ok: true } });
  const checks = { storage: 'ok', identityProvider: 'ok', graph: 'ok' };
  expect(await probe('/healthz/ready')).toEqual({ status: 200, body: { ok: true, checks } });
  expect(await probe('/healthz')).toEqual({ status: 200, body: { ok: true, checks } });
});

test('identity provider and Graph down: live stays 200; ready answers 503 naming both, and logs why', async () => {
  await tenant.stop();
  expect(await probe('/healthz/live')).toEqual({ status: 200, body: { ok: true } });
  const ready = await probe('/healthz/ready');
  expect(ready).toEqual({ status: 503, body: { ok: false, checks: { storage: 'ok', identityProvider: 'failed', graph: 'failed' } } });
  expect((await probe('/healthz')).status).toBe(503);
  await bot.waitForLine((line) => line.includes('health check failed') && line.includes('identityProvider'));
});
