import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';
import { personalChatId, TeamsClient, USERS } from '../support/teamsClient';

/**
 * The bot is killed (SIGKILL) while a dialog waits for sign-in and started again on the same SQLite state:
 * the dialog continues from the same step and the pending command runs.
 */
let tenant: LocalTenant;
const bots: BotProcess[] = [];
const clients: TeamsClient[] = [];

beforeAll(async () => {
  tenant = await startLocalTenant();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.stop()));
  await Promise.all(bots.map((bot) => bot.stop()));
  await tenant.dispose();
});

test('kill mid-dialog, restart: the sign-in completes and the pending command answers', async () => {
  const first = await startBot(tenant, { env: { LOG_LEVEL: 'debug' } });
  bots.push(first);
  const before = await TeamsClient.start({ botUrl: first.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
  clients.push(before);
  await before.message(USERS.adele, 'reviews active');
  const card = await before.waitForOAuthCard(personalChatId(USERS.adele));
  await first.stop('SIGKILL');

  const second = await startBot(tenant, { dataDir: first.dataDir, env: { LOG_LEVEL: 'debug' } });
  bots.push(second);
  const after = await TeamsClient.start({ botUrl: second.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
  clients.push(after);
  const exchange = await after.signInFromOAuthCard(USERS.adele, card, tenant);
  expect(exchange.status).toBe(200);
  const answer = await after.waitFor(() => after.sent.find((s) => JSON.stringify(s.activity).includes('Sales Team guest review')));
  expect(answer.conversationId).toBe(personalChatId(USERS.adele));
  // The pending command was 'reviews active': the list is of active reviews only.
  expect(JSON.stringify(answer.activity)).not.toContain('Project Falcon guests');
});
