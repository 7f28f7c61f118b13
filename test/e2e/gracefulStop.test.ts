import type { ChildProcess } from 'node:child_process';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from '../support/botProcess';
import { control, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { TeamsClient, USERS } from '../support/teamsClient';

/**
 * A graceful stop (issue 14, item 4): SIGTERM while a turn waits on Graph. The turn finishes (its answer reaches
 * Teams), then the process exits with code 0; a message arriving after the signal is not taken.
 */

jest.setTimeout(60_000);

let tenant: LocalTenant;
let bot: BotProcess;
let teams: TeamsClient;

beforeAll(async () => {
  tenant = await startLocalTenant();
  bot = await startBot(tenant, { env: { SSO_MODE: 'local' } });
  teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
  // Signed in first, so the turn below spends its time on Graph only.
  await teams.message(USERS.adele, 'reviews');
  await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('Sales Team guest review')), 20_000);
});

afterAll(async () => {
  await control(tenant, 'PUT', '/faults', {}).catch(() => undefined);
  await teams?.stop();
  await bot?.stop('SIGKILL');
  await tenant?.dispose();
});

test('SIGTERM during a turn: the turn completes and the process exits 0', async () => {
  teams.clear();
  // Every Graph request now takes 1.5 s: the turn is in flight when the signal comes.
  expect((await control(tenant, 'PUT', '/faults', { latencyMs: 1500 })).status).toBe(200);
  const delivery = teams.message(USERS.adele, 'reviews active');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const child = (bot as BotProcess & { child: ChildProcess }).child;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  await bot.waitForLine((line) => line.includes('"msg":"stopping"'), { timeoutMs: 5_000 });

  expect((await delivery).status).toBe(200);
  expect(teams.sent.some((s) => JSON.stringify(s.activity).includes('Sales Team guest review'))).toBe(true);
  expect(await exited).toBe(0);
  // After the stop nothing answers.
  await expect(fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).rejects.toThrow();
});
