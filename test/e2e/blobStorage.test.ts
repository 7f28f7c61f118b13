import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBot, type BotProcess } from '../support/botProcess';
import { ssoToken, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { personalChatId, TeamsClient, USERS } from '../support/teamsClient';

/**
 * The bot configured with STORAGE_CONNECTION_STRING (several replicas): conversation state and SSO
 * de-duplication live in Azure Blob Storage (Azurite). Two bot processes share it, as two replicas would.
 */
let azurite: Azurite;
let tenant: LocalTenant;
const bots: BotProcess[] = [];
const clients: TeamsClient[] = [];

beforeAll(async () => {
  [azurite, tenant] = await Promise.all([startAzurite(), startLocalTenant()]);
  const env = { STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_CONTAINER: 'replicas' };
  bots.push(await startBot(tenant, { env }), await startBot(tenant, { env }));
  for (const bot of bots) clients.push(await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID }));
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((client) => client.stop()));
  await Promise.all(bots.map((bot) => bot.stop()));
  await tenant.dispose();
  await azurite.stop();
});

test('one exchange delivered to two replicas at once runs the bot logic once; state is shared', async () => {
  const [first, second] = clients;
  if (!first || !second) throw new Error('two replicas expected');
  const chat = personalChatId(USERS.adele);
  await first.message(USERS.adele, 'reviews active');
  const card = await first.waitForOAuthCard(chat);
  const token = await ssoToken(tenant, USERS.adele.aadObjectId);
  // Both replicas receive the same exchange (Teams clients of the same user); the pending command is in Blob storage.
  const answers = await Promise.all([first.exchangeToken(USERS.adele, card, token), second.exchangeToken(USERS.adele, card, token)]);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  expect(answers.filter((a) => a.body !== undefined && a.body !== null && a.body !== '')).toHaveLength(1);
  // An invoke is answered after its turn, so whatever the winning replica sent is recorded by now.
  const lists = [...first.sent, ...second.sent].filter((s) => JSON.stringify(s.activity).includes('Sales Team guest review'));
  expect(lists).toHaveLength(1);
  expect(lists[0]?.conversationId).toBe(chat);
});
