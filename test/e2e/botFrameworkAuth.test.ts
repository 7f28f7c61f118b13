import jwt from 'jsonwebtoken';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { keysFromJwks, verifyJwt } from '../../dev/shared/jwt';
import { signChannelToken, startProductionBot, type BotProcess } from '../support/botProcess';
import { ssoToken, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { adaptiveCardsOf, TeamsClient, USERS } from '../support/teamsClient';

/**
 * With an app id configured, Bot Framework authentication is on: an activity without a valid channel token
 * is refused with 401 before any bot logic runs (nothing is sent, nothing is stored). The bot runs with the
 * production configuration (no local-tenant key is allowed there).
 */
let tenant: LocalTenant;
let bot: BotProcess;
let teams: TeamsClient;
let token = 'none';

beforeAll(async () => {
  tenant = await startLocalTenant();
  // The production bot (app id, production configuration rules) through its test entry, whose only change is
  // that channel tokens are checked against the local identity provider (the test's network is 127.0.0.1 only):
  // Bot Framework's own metadata would be fetched from login.botframework.com.
  bot = await startProductionBot(tenant);
  teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID, channelToken: () => Promise.resolve(token) });
});
afterAll(async () => {
  await teams.stop();
  await bot.stop();
  await tenant.dispose();
});

test.each([
  ['no Authorization header', undefined],
  ['a garbage token', 'garbage'],
  ['a token signed by someone else', 'forged'],
  ['a valid user token of the local tenant (not a Bot Framework token)', 'sso'],
])('a message with %s is refused with 401 and not processed', async (_name, kind) => {
  if (kind === undefined) {
    const response = await fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teams.posted[0] ?? { type: 'message', text: 'help' }) });
    expect(response.status).toBe(401);
    return;
  }
  token = kind === 'garbage' ? 'garbage'
    : kind === 'forged' ? jwt.sign({ aud: BOT_APP_ID, iss: 'https://api.botframework.com', serviceurl: teams.serviceUrl }, 'secret', { expiresIn: 300 })
      : await ssoToken(tenant, USERS.adele.aadObjectId);
  const delivery = await teams.message(USERS.adele, 'help');
  expect(delivery.status).toBe(401);
});

test('nothing reached the connector, no turn ran and no state was written', () => {
  expect(teams.posted.length).toBeGreaterThanOrEqual(3);
  expect(teams.calls).toHaveLength(0);
  expect(bot.lines.some((line) => line.includes('"msg":"turn"'))).toBe(false);
  const db = new Database(join(bot.dataDir, 'bot', 'state.sqlite'), { readonly: true, fileMustExist: true });
  try {
    expect(db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});

test('the bot ran with the production configuration: app id, Teams SSO, Microsoft hosts, no local tenant', () => {
  const line = bot.lines.find((text) => text.includes('"msg":"starting"')) ?? '{}';
  expect((JSON.parse(line) as { config?: unknown }).config).toMatchObject({
    localMode: false, botAppId: BOT_APP_ID, sso: { mode: 'teams' }, graphBaseUrl: 'https://graph.microsoft.com',
    aad: { authority: `https://login.microsoftonline.com/${TENANT_ID}` }, publicBaseUrl: 'https://bot.contoso.example',
  });
});

// Last, so the tests above see a bot that has run no turn: a valid channel token opens the whole production path.
test('a message with a valid channel token runs the turn: 200, and the help card reaches the connector with the bot\'s token from the identity provider', async () => {
  token = signChannelToken(tenant, teams.serviceUrl);
  const delivery = await teams.message(USERS.adele, 'help');
  expect(delivery.status).toBe(200);
  const sent = await teams.waitForSent((activity) => activity.conversationId === delivery.activity.conversation.id && adaptiveCardsOf(activity).length > 0);
  expect(JSON.stringify(adaptiveCardsOf(sent))).toContain('reviews [active|completed|all]');
  // Every connector call of the turn carried the bot's token.
  const bearers = new Set(teams.calls.map((call) => /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1]));
  expect(bearers.size).toBe(1);
  const [bearer = ''] = [...bearers];
  // Signed by the local identity provider for the bot app (client credentials): the token Entra would issue.
  const jwks = (await (await fetch(`${tenant.idp}/jwks`)).json()) as { keys: object[] };
  const claims = verifyJwt(bearer, keysFromJwks(jwks), { issuer: tenant.issuer, audience: 'https://api.botframework.com' });
  expect(claims).toMatchObject({ appid: BOT_APP_ID, idtyp: 'app', tid: TENANT_ID });
  expect(bearer).not.toBe(token);
});
