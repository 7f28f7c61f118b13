import { BOT_APP_ID } from '../../dev/tenant/tenant';
import { useLocalStack } from '../support/localStack';
import { control, ssoToken } from '../support/localTenant';
import { personalChatId, SALES_TEAM, USERS, type SentActivity } from '../support/teamsClient';
import { startTokenService, type TokenServiceSimulator } from '../support/tokenService';

/**
 * SSO_MODE=connection end to end over real HTTP: the simulated Teams client ↔ the real bot ↔ a Bot Framework token
 * service (test/support/tokenService.ts, with an Azure AD v2 OAuth connection whose Token Exchange URL is the bot's
 * Application ID URI) ↔ the local identity provider and Graph emulator. The same Teams wire protocol as SSO_MODE=teams
 * (test/e2e/sso.test.ts), but the token service exchanges, keeps and signs out, and its sign-in link is on the cards.
 */
const CONNECTION = 'GraphConnection';
const GRAPH_SCOPES = ['AccessReview.ReadWrite.All', 'Group.Read.All', 'User.ReadBasic.All', 'User.Read', 'RoleManagement.Read.Directory']
  .map((p) => `https://graph.microsoft.com/${p}`).join(' ');
const env: Record<string, string> = { SSO_MODE: 'connection', SSO_CONNECTION_NAME: CONNECTION, LOG_LEVEL: 'debug' };
let tokenService: TokenServiceSimulator;
beforeAll(async () => {
  tokenService = await startTokenService(() => stack.tenant, [
    { name: CONNECTION, tokenExchangeUrl: `api://botid-${BOT_APP_ID}`, scopes: GRAPH_SCOPES },
  ]);
  env.SSO_TOKEN_SERVICE_URL = tokenService.url;
});
const stack = useLocalStack({ env });
afterAll(() => tokenService.stop());

const mentions = (activity: unknown, text: string): boolean => JSON.stringify(activity).includes(text);
const graphRequests = async (): Promise<number> => (await control(stack.tenant, 'GET', '/stats')).body.requests as number;
const reviewsCardIn = (conversationId: string): SentActivity | undefined =>
  stack.teams.sent.find((s) => s.conversationId === conversationId && mentions(s.activity, 'Sales Team guest review'));
const calls = (method: string, path: string, userId?: string): number =>
  tokenService.requests.filter((r) => r.method === method && r.path === path && (userId === undefined || r.query.userId === userId)).length;
/** The Sign in button's link on an OAuthCard. */
const signInLinkOf = (card: SentActivity): string => {
  const content = (card.activity as { attachments?: { content?: { buttons?: { value?: string }[] } }[] }).attachments?.[0]?.content;
  return content?.buttons?.[0]?.value ?? '';
};

test('first use: an OAuthCard with the connection\'s sign-in link; the token service exchanges; the next command is silent', async () => {
  const { teams } = stack;
  const chat = personalChatId(USERS.adele);
  await teams.message(USERS.adele, 'reviews');
  const card = await teams.waitForOAuthCard(chat);
  expect(card.activity).toMatchObject({ attachments: [{ content: { connectionName: CONNECTION, tokenExchangeResource: { uri: `api://botid-${BOT_APP_ID}` } } }] });
  expect(signInLinkOf(card).startsWith(`${tokenService.url}/api/oauth/signin?signin=`)).toBe(true);
  const exchange = await teams.signInFromOAuthCard(USERS.adele, card, stack.tenant);
  expect(exchange).toMatchObject({ status: 200, body: { connectionName: CONNECTION } });
  expect(calls('POST', '/api/usertoken/exchange', USERS.adele.id)).toBe(1);
  expect(tokenService.held()).toContain(`${USERS.adele.id}|${CONNECTION}|msteams`);
  await teams.waitFor(() => reviewsCardIn(chat));
  teams.clear();
  await teams.message(USERS.adele, 'reviews active');
  await teams.waitFor(() => reviewsCardIn(chat));
  expect(teams.sent.some((s) => mentions(s.activity, 'application/vnd.microsoft.card.oauth'))).toBe(false);
});

test('after a restart the token service still has the user\'s token: the command runs with no sign-in card', async () => {
  await stack.restart();
  const { teams } = stack;
  const chat = personalChatId(USERS.adele);
  const before = calls('GET', '/api/usertoken/GetToken', USERS.adele.id);
  await teams.message(USERS.adele, 'reviews');
  await teams.waitFor(() => reviewsCardIn(chat));
  expect(teams.sent.some((s) => mentions(s.activity, 'application/vnd.microsoft.card.oauth'))).toBe(false);
  expect(calls('GET', '/api/usertoken/GetToken', USERS.adele.id)).toBe(before + 1);
});

test('another user\'s Teams token is refused before it reaches the token service', async () => {
  const { teams } = stack;
  const chat = personalChatId(USERS.grady);
  await teams.message(USERS.grady, 'reviews');
  const card = await teams.waitForOAuthCard(chat);
  const graph = await graphRequests();
  const refused = await teams.exchangeToken(USERS.grady, card, await ssoToken(stack.tenant, USERS.adele.aadObjectId));
  expect(refused.status).toBe(412);
  expect(calls('POST', '/api/usertoken/exchange', USERS.grady.id)).toBe(0);
  expect(await graphRequests()).toBe(graph);
});

test('consent missing: 412 consent_required, then the token service\'s sign-in page and its magic code (signin/verifyState) finish the command', async () => {
  const { teams, tenant } = stack;
  const chat = personalChatId(USERS.pradeep);
  await teams.message(USERS.pradeep, 'reviews');
  const card = await teams.waitForOAuthCard(chat);
  const refused = await teams.signInFromOAuthCard(USERS.pradeep, card, tenant);
  expect(refused).toMatchObject({ status: 412, body: { failureDetail: 'consent_required' } });
  // The Sign in button: the token service's page, where Pradeep signs in and consents; it shows a magic code that
  // Teams sends back as signin/verifyState.
  await fetch(`${tenant.idp}/dev/consent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'pradeep@contoso.local' }) });
  const code = await tokenService.completeSignIn(signInLinkOf(card), USERS.pradeep.aadObjectId);
  const wrong = await teams.invoke(USERS.pradeep, 'signin/verifyState', { state: '000000' }, { kind: 'conversation', id: chat });
  expect(wrong.status).toBe(404);
  const verified = await teams.invoke(USERS.pradeep, 'signin/verifyState', { state: code }, { kind: 'conversation', id: chat });
  expect(verified.status).toBe(200);
  // Pradeep has no directory role: Graph refuses, and he is told which role he needs.
  const reply = await teams.waitFor(() => teams.sent.find((s) => s.conversationId === chat && teams.textOf(s).includes('role')));
  expect(teams.textOf(reply)).toContain('Identity Governance Administrator');
});

test('in a channel: Universal Actions\' 401 loginRequest carries the connection\'s exchange resource and link; the retried action runs', async () => {
  const { teams, tenant } = stack;
  const channel = { kind: 'channel' as const, teamId: SALES_TEAM.id, channelId: SALES_TEAM.channels[0]?.id };
  await teams.message(USERS.diego, 'reviews', channel);
  const prompt = await teams.waitFor(() => teams.sent.find((s) => teams.adaptiveCards().length > 0 && mentions(s.activity, 'Action.Execute')));
  const action = { activityId: prompt.id, verb: 'reviews.list', data: { args: '' } };
  const first = await teams.cardAction(USERS.diego, action.activityId, action.verb, action.data);
  expect(first.body).toMatchObject({
    statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest',
    value: { connectionName: CONNECTION, tokenExchangeResource: { uri: `api://botid-${BOT_APP_ID}` }, buttons: [{ value: expect.stringContaining(`${tokenService.url}/api/oauth/signin`) as string }] },
  });
  const second = await teams.answerLoginRequest(USERS.diego, first, action, tenant);
  expect(second.body).toMatchObject({ statusCode: 200 });
  expect(calls('POST', '/api/usertoken/exchange', USERS.diego.id)).toBe(1);
  expect(JSON.stringify(second.body)).toContain('Identity Governance Administrator');
});

test('sign out signs the user out at the token service too: the next command asks for sign-in again', async () => {
  const { teams } = stack;
  const chat = personalChatId(USERS.adele);
  await teams.message(USERS.adele, 'sign out');
  await teams.waitFor(() => teams.sent.find((s) => teams.textOf(s).includes('signed out')));
  expect(calls('DELETE', '/api/usertoken/SignOut', USERS.adele.id)).toBe(1);
  expect(tokenService.held()).not.toContain(`${USERS.adele.id}|${CONNECTION}|msteams`);
  await teams.message(USERS.adele, 'reviews');
  await teams.waitForOAuthCard(chat);
});

test('no JWT-shaped string in the bot\'s log', () => {
  const jwtShaped = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/;
  expect(stack.bot.lines.filter((line) => jwtShaped.test(line))).toEqual([]);
});
