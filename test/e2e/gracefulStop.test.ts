import type { ChildProcess } from 'node:child_process';
import type { BotProcess } from '../support/botProcess';
import { control } from '../support/localTenant';
import { useLocalStack } from '../support/localStack';
import { USERS } from '../support/teamsClient';

/**
 * A graceful stop (issue 14, item 4): SIGTERM while a turn waits on Graph. The turn finishes (its answer reaches
 * Teams), then the process exits with code 0; a message arriving after the signal is not taken.
 */

jest.setTimeout(60_000);

const stack = useLocalStack({ env: { SSO_MODE: 'local' } });

beforeAll(async () => {
  // Signed in first, so the turn below spends its time on Graph only.
  const { teams } = stack;
  await teams.message(USERS.adele, 'reviews');
  await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('Sales Team guest review')), 20_000);
});

test('SIGTERM during a turn: the turn completes and the process exits 0', async () => {
  const { tenant, bot, teams } = stack;
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
