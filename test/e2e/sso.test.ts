import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { startBot, type BotProcess } from '../support/botProcess';
import { control, ssoToken, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { personalChatId, SALES_TEAM, TeamsClient, USERS, type SentActivity } from '../support/teamsClient';

/**
 * Teams SSO end to end over real HTTP: the simulated Teams client ↔ the real bot (SSO_MODE=teams) ↔ the
 * local identity provider and Graph emulator.
 */
let tenant: LocalTenant;
let bot: BotProcess;
let teams: TeamsClient;

beforeAll(async () => {
  tenant = await startLocalTenant();
  // Debug logging: the token scan at the end should see as much as the bot can log.
  bot = await startBot(tenant, { env: { LOG_LEVEL: 'debug' } });
  teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
});
afterAll(async () => {
  await teams.stop();
  await bot.stop();
  await tenant.dispose();
});

const mentions = (card: unknown, text: string): boolean => JSON.stringify(card).includes(text);
const graphRequests = async (): Promise<number> => (await control(tenant, 'GET', '/stats')).body.requests as number;
const reviewsCardIn = (conversationId: string): SentActivity | undefined =>
  teams.sent.find((s) => s.conversationId === conversationId && teams.adaptiveCards().length > 0 && mentions(s.activity, 'Sales Team guest review'));

test('first use: OAuthCard, silent token exchange (200), then the command runs; the next command is silent', async () => {
  const chat = personalChatId(USERS.adele);
  expect((await teams.message(USERS.adele, 'reviews')).status).toBe(200);
  const card = await teams.waitForOAuthCard(chat);
  const exchange = await teams.signInFromOAuthCard(USERS.adele, card, tenant);
  expect(exchange.status).toBe(200);
  expect(exchange.body).toMatchObject({ connectionName: expect.any(String) as string });
  await teams.waitFor(() => reviewsCardIn(chat));
  teams.clear();
  await teams.message(USERS.adele, 'reviews active');
  await teams.waitFor(() => teams.sent.find((s) => mentions(s.activity, 'Sales Team guest review')));
  expect(teams.sent.some((s) => JSON.stringify(s.activity).includes('application/vnd.microsoft.card.oauth'))).toBe(false);
});

test('the same exchange sent twice at once runs the bot logic once', async () => {
  teams.clear();
  const chat = personalChatId(USERS.lee);
  await teams.message(USERS.lee, 'reviews');
  const card = await teams.waitForOAuthCard(chat);
  const token = await ssoToken(tenant, USERS.lee.aadObjectId);
  const [first, second] = await Promise.all([teams.exchangeToken(USERS.lee, card, token), teams.exchangeToken(USERS.lee, card, token)]);
  expect([first.status, second.status]).toEqual([200, 200]);
  expect([first.body, second.body].filter((body) => body !== undefined && body !== null && body !== '')).toHaveLength(1);
  await teams.waitFor(() => reviewsCardIn(chat));
  await teams.message(USERS.lee, 'help');
  await teams.waitFor(() => teams.sent.find((s) => s.conversationId === chat && mentions(s.activity, 'sign out')));
  expect(teams.sent.filter((s) => s.conversationId === chat && mentions(s.activity, 'Sales Team guest review'))).toHaveLength(1);
});

test('consent missing: 412, then after consent and signin/verifyState the exchange succeeds', async () => {
  teams.clear();
  const chat = personalChatId(USERS.pradeep);
  await teams.message(USERS.pradeep, 'reviews');
  const card = await teams.waitForOAuthCard(chat);
  const refused = await teams.signInFromOAuthCard(USERS.pradeep, card, tenant);
  expect(refused.status).toBe(412);
  expect(refused.body).toMatchObject({ failureDetail: 'consent_required' });
  // What the consent pop-up does (the bot's /auth/start page leads there), then Teams reports it.
  await fetch(`${tenant.idp}/dev/consent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'pradeep@contoso.local' }) });
  const before = teams.sent.length;
  expect((await teams.invoke(USERS.pradeep, 'signin/verifyState', { state: '123456' }, { kind: 'conversation', id: chat })).status).toBe(200);
  const again = await teams.waitFor(() => teams.sent.slice(before).find((s) => s.conversationId === chat && JSON.stringify(s.activity).includes('card.oauth')));
  expect((await teams.signInFromOAuthCard(USERS.pradeep, again, tenant)).status).toBe(200);
  // Pradeep has no directory role: Graph refuses, and he is told which role he needs.
  const reply = await teams.waitFor(() => teams.sent.find((s) => s.conversationId === chat && teams.textOf(s).includes('role')));
  expect(teams.textOf(reply)).toContain('Identity Governance Administrator');
});

test('an expired or forged SSO token gets 412 and makes no Graph call', async () => {
  teams.clear();
  const chat = personalChatId(USERS.grady);
  await teams.message(USERS.grady, 'reviews');
  const card = await teams.waitForOAuthCard(chat);
  const before = await graphRequests();
  const expired = await ssoToken(tenant, USERS.grady.aadObjectId, -60);
  const forged = jwt.sign({ aud: `api://botid-${BOT_APP_ID}`, oid: USERS.grady.aadObjectId, scp: 'access_as_user', tid: TENANT_ID }, 'not-the-key', { expiresIn: 600 });
  const otherUser = await ssoToken(tenant, USERS.adele.aadObjectId);
  for (const token of [expired, forged, otherUser]) expect((await teams.exchangeToken(USERS.grady, card, token)).status).toBe(412);
  expect(await graphRequests()).toBe(before);
  expect(teams.sent.filter((s) => mentions(s.activity, 'Sales Team guest review'))).toHaveLength(0);
});

test('in a channel, a command needing Graph goes through Universal Actions SSO (401 loginRequest, then the card)', async () => {
  teams.clear();
  const channel = { kind: 'channel' as const, teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
  await teams.message(USERS.diego, 'reviews', channel);
  const prompt = await teams.waitFor(() => teams.sent.find((s) => teams.adaptiveCards().length > 0 && JSON.stringify(s.activity).includes('Action.Execute')));
  const action = { activityId: prompt.id, verb: 'reviews.list', data: { args: '' } };
  const first = await teams.cardAction(USERS.diego, action.activityId, action.verb, action.data);
  expect(first.status).toBe(401);
  expect(first.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest' });
  const second = await teams.answerLoginRequest(USERS.diego, first, action, tenant);
  expect(second.status).toBe(200);
  // Diego has no role: Graph refuses the list, and the answer (a message, not a card) names the role needed.
  expect(second.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  expect(JSON.stringify(second.body)).toContain('Identity Governance Administrator');
});

test('a card button acts as the person who pressed it, not the one it was sent to', async () => {
  const prompt = teams.sent.find((s) => JSON.stringify(s.activity).includes('reviews.list'));
  expect(prompt).toBeDefined();
  const pressedByAdele = await teams.cardAction(USERS.adele, prompt?.id ?? '', 'reviews.list', { args: '' });
  expect(pressedByAdele.status).toBe(200);
  expect(JSON.stringify(pressedByAdele.body)).toContain('Sales Team guest review');
});

test('unknown verbs and malformed card data are refused with an error response, not a crash', async () => {
  const unknown = await teams.cardAction(USERS.adele, 'x', 'reviews.delete.everything', {});
  expect(unknown.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
  const malformed = await teams.invoke(USERS.adele, 'adaptiveCard/action', { action: 'not an object' });
  expect(malformed.status).toBeGreaterThanOrEqual(400);
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
});

test('sign out forgets the token: the next command asks for sign-in again', async () => {
  teams.clear();
  const chat = personalChatId(USERS.adele);
  await teams.message(USERS.adele, 'sign out');
  await teams.waitFor(() => teams.sent.find((s) => teams.textOf(s).includes('signed out')));
  await teams.message(USERS.adele, 'reviews');
  await teams.waitForOAuthCard(chat);
});

test('after the whole run no JWT-shaped string is in any log line or stored record', async () => {
  await bot.stop('SIGTERM');
  // Graceful stop: the bot logged it and closed its store (the WAL was checkpointed into the database file).
  expect(bot.lines.some((line) => line.includes('"msg":"stopping"'))).toBe(true);
  const jwtShape = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/;
  expect(bot.lines.length).toBeGreaterThan(10);
  expect(bot.lines.filter((line) => jwtShape.test(line))).toEqual([]);
  const stored = readdirSync(join(bot.dataDir, 'bot')).map((file) => readFileSync(join(bot.dataDir, 'bot', file)).toString('latin1'));
  expect(stored.join('').length).toBeGreaterThan(1000);
  expect(stored.filter((content) => jwtShape.test(content))).toEqual([]);
});
