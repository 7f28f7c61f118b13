import Database from 'better-sqlite3';
import { join } from 'node:path';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';
import { GROUP_CHAT_ID, personalChatId, SALES_TEAM, TeamsClient, USERS, type Scope } from '../support/teamsClient';

/** The conversation core over real HTTP, with SSO_MODE=local (as in the Playground). */
let tenant: LocalTenant;
let bot: BotProcess;
let teams: TeamsClient;

beforeAll(async () => {
  tenant = await startLocalTenant();
  bot = await startBot(tenant, { env: { SSO_MODE: 'local' } });
  teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
});
afterAll(async () => {
  await teams.stop();
  await bot.stop();
  await tenant.dispose();
});
beforeEach(() => teams.clear());

const PERSONAL: Scope = { kind: 'personal' };
const GROUP: Scope = { kind: 'groupChat' };
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
const cardText = (): string => JSON.stringify(teams.adaptiveCards());
const lastText = async (): Promise<string> => teams.textOf(await teams.waitFor(() => teams.sent.at(-1)));

test.each([['personal', PERSONAL], ['group chat', GROUP], ['channel', CHANNEL]] as const)('installing in a %s sends a welcome card', async (_name, scope) => {
  const { conversationUpdate } = await teams.install(scope);
  expect(conversationUpdate.status).toBe(200);
  await teams.waitFor(() => teams.adaptiveCards().length > 0);
  expect(cardText()).toMatch(/help/i);
});

test('conversation references are stored for later proactive posts (team and tenant included)', () => {
  const db = new Database(join(bot.dataDir, 'bot', 'state.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const keys = (db.prepare("SELECT key FROM items WHERE key LIKE 'conversations/%'").all() as Array<{ key: string }>).map((r) => r.key);
    expect(keys.some((key) => key.includes(GROUP_CHAT_ID))).toBe(true);
    const channel = db.prepare("SELECT value FROM items WHERE key LIKE 'conversations/%' AND value LIKE ?").get(`%${SALES_TEAM.aadGroupId}%`) as { value: string } | undefined;
    expect(JSON.parse(channel?.value ?? '{}')).toMatchObject({ scope: 'channel', tenantId: TENANT_ID, aadGroupId: SALES_TEAM.aadGroupId });
  } finally {
    db.close();
  }
});

test('help is context-aware and lists only what this version does', async () => {
  const helpIn = async (scope: Scope): Promise<string> => {
    teams.clear();
    await teams.message(USERS.adele, 'help', scope);
    await teams.waitFor(() => teams.adaptiveCards().length > 0);
    return cardText();
  };
  const personal = await helpIn(PERSONAL);
  const group = await helpIn(GROUP);
  const channel = await helpIn(CHANNEL);
  for (const card of [personal, group, channel]) expect(card).toContain('reviews [active|completed|all]');
  // Sign out is for chats where the bot holds the user's sign-in; channels have no such button.
  expect(personal).toContain('auth.signOut');
  expect(group).toContain('sign out');
  expect(channel).not.toContain('auth.signOut');
  expect(channel).not.toContain('sign out');
  // Creating is advertised; channel digests only where they work.
  expect(personal).toContain('create review');
  expect(personal).toContain('summary <review>');
  expect(channel).toContain('subscribe <review|all>');
  expect(personal).not.toContain('subscribe <review|all>');
});

test('unknown input gets the closest command and help, never silence', async () => {
  await teams.message(USERS.adele, 'revews please');
  expect(await lastText()).toMatch(/didn't understand `revews`\..*`reviews`.*help/);
  teams.clear();
  await teams.message(USERS.adele, 'xyzzy');
  expect(await lastText()).toMatch(/didn't understand `xyzzy`\. Type `help`/);
});

test('a command that only works elsewhere says where', async () => {
  await teams.message(USERS.adele, 'export all', CHANNEL);
  expect(await lastText()).toContain('personal chat');
});

test('in local SSO mode a Graph command signs in silently and answers as the user', async () => {
  await teams.message(USERS.adele, 'reviews active');
  await teams.waitFor(() => teams.adaptiveCards().length > 0);
  expect(cardText()).toContain('Sales Team guest review');
  expect(JSON.stringify(teams.sent)).not.toContain('card.oauth');
  teams.clear();
  await teams.message(USERS.megan, 'reviews');
  expect(await lastText()).toContain('Identity Governance Administrator');
  // Issue 10, item 16: and what someone without a role can do.
  expect(await lastText()).toContain('My Access (https://myaccess.microsoft.com) list the reviews waiting for you.');
});

test('malformed requests are refused and change nothing; the bot stays healthy', async () => {
  const post = (body: string): Promise<Response> => fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect((await post('{not json')).status).toBe(400);
  expect((await post(JSON.stringify({ text: 'help' }))).status).toBeGreaterThanOrEqual(400);
  const noText = await teams.message(USERS.adele, '');
  expect(noText.status).toBe(200);
  expect(await lastText()).toContain('help');
  const strange = await teams.invoke(USERS.adele, 'signin/tokenExchange', { id: 42 });
  expect(strange.status).toBe(400);
  // Newer Teams clients report SSO failures; the bot logs them and answers 200 (botbuilder alone answers 501).
  expect((await teams.invoke(USERS.adele, 'signin/failure', { code: 'resourcematchfailed', message: 'x' })).status).toBe(200);
  await bot.waitForLine((line) => line.includes('resourcematchfailed'));
  const health = await fetch(`${bot.url}/healthz`);
  expect(health.status).toBe(200);
  expect(personalChatId(USERS.adele)).toBeTruthy();
});

test('/healthz is 503 while a local piece the bot uses is down', async () => {
  const lonely = await startBot(tenant, { env: { GRAPH_BASE_URL: 'http://127.0.0.1:9' } });
  try {
    const health = await fetch(`${lonely.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, checks: { storage: 'ok', identityProvider: 'ok' } });
  } finally {
    await lonely.stop();
  }
});
