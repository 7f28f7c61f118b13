import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import type { BotProcess } from '../support/botProcess';
import { startBot } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';
import { messageActivity, personalChatId, TeamsClient, USERS, type TeamsActivity } from '../support/teamsClient';
import { rawRequest, startRecorder, storedItems, type Recorder } from './httpHarness';

/**
 * Issue 7 item 6: the local bot (no app id, so no Bot Framework authentication) could be driven from any web
 * page: a cross-site form made it post Adele's reviews to another URL and remember that URL. In local mode it
 * now refuses requests with an Origin header or a non-loopback Host, and activities whose serviceUrl is not
 * on loopback, before any bot logic runs.
 */
let tenant: LocalTenant;
let bot: BotProcess;
let teams: TeamsClient;
let elsewhere: Recorder;

beforeAll(async () => {
  tenant = await startLocalTenant();
  bot = await startBot(tenant, { env: { SSO_MODE: 'local', LOG_LEVEL: 'debug' } });
  teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
  elsewhere = await startRecorder();
});
beforeEach(() => {
  elsewhere.hits.length = 0;
});
afterAll(async () => {
  await elsewhere.stop();
  await teams.stop();
  await bot.stop();
  await tenant.dispose();
});

let seq = 0;
/** Adele's "reviews" in her personal chat, as Teams would send it, but aimed at `serviceUrl`. */
const adeleAsks = (serviceUrl: string): TeamsActivity => messageActivity({
  serviceUrl, tenantId: TENANT_ID, botId: BOT_APP_ID, botName: 'Access Reviews', teams: teams.teams, nextId: () => `attack-${++seq}`,
}, USERS.adele, 'reviews', { kind: 'personal' });

const storedWith = (text: string): string[] => storedItems(bot).filter((item) => item.value.includes(text)).map((item) => item.key);
const post = (body: string, headers: Record<string, string>): ReturnType<typeof rawRequest> =>
  rawRequest(bot.messagesUrl, { method: 'POST', headers, body });

test('the simulated Teams client (serviceUrl on 127.0.0.1) still works', async () => {
  expect((await teams.message(USERS.adele, 'help')).status).toBe(200);
  await teams.waitFor(() => teams.sent.find((sent) => sent.conversationId === personalChatId(USERS.adele)));
  await bot.waitForLine((line) => line.includes('"msg":"turn"')); // the log line the refusals below must not produce
});

test.each([
  ['with the Origin a browser adds', { origin: 'https://evil.example' }, 403],
  ['without an Origin (a non-browser client)', {}, 415],
])('a cross-site url-encoded form %s is refused; nothing is sent elsewhere or stored', async (_name, extra, status) => {
  const form = new URLSearchParams({
    type: 'message', text: 'reviews', channelId: 'msteams', serviceUrl: elsewhere.url, id: 'form-1',
    'from[id]': USERS.adele.id, 'from[aadObjectId]': USERS.adele.aadObjectId,
    'conversation[id]': 'a:form-chat', 'conversation[conversationType]': 'personal', 'conversation[tenantId]': TENANT_ID,
    'recipient[id]': `28:${BOT_APP_ID}`,
  }).toString();
  const response = await post(form, { 'content-type': 'application/x-www-form-urlencoded', ...extra });
  expect({ status: response.status, sentElsewhere: elsewhere.hits, stored: storedWith(elsewhere.url) }).toEqual({ status, sentElsewhere: [], stored: [] });
});

test('a JSON activity with an Origin header is refused with 403', async () => {
  const response = await post(JSON.stringify(adeleAsks(elsewhere.url)), { 'content-type': 'application/json', origin: 'http://127.0.0.1:8080' });
  expect(response.status).toBe(403);
  expect(elsewhere.hits).toEqual([]);
  expect(storedWith(elsewhere.url)).toEqual([]);
});

test.each(['/api/messages', '/healthz', '/auth/end'])('Host evil.example (DNS rebinding) is refused with 403 on %s', async (path) => {
  const response = await rawRequest(`${bot.url}${path}`, {
    method: path === '/api/messages' ? 'POST' : 'GET',
    headers: { host: 'evil.example', 'content-type': 'application/json' },
    body: path === '/api/messages' ? JSON.stringify(adeleAsks(teams.serviceUrl)) : undefined,
  });
  expect(response.status).toBe(403);
  expect(elsewhere.hits).toEqual([]);
});

test.each([
  ['localhost with a port', (port: string) => `localhost:${port}`],
  ['127.0.0.2', (port: string) => `127.0.0.2:${port}`],
  ['[::1]', (port: string) => `[::1]:${port}`],
])('a loopback Host (%s) is served', async (_name, host) => {
  const response = await rawRequest(`${bot.url}/healthz`, { headers: { host: host(new URL(bot.url).port) } });
  expect(response.status).toBe(200);
});

test('a serviceUrl of 0.0.0.0 (reaches this machine, but is no loopback name) is refused; nothing is sent or stored', async () => {
  const sneaky = elsewhere.url.replace('127.0.0.1', '0.0.0.0');
  const response = await post(JSON.stringify(adeleAsks(sneaky)), { 'content-type': 'application/json' });
  expect({ status: response.status, sentElsewhere: elsewhere.hits, stored: storedWith(sneaky) }).toEqual({ status: 403, sentElsewhere: [], stored: [] });
});

// The bot refuses before it sends, so no traffic leaves 127.0.0.1 (the test would otherwise reach out).
test.each(['http://10.1.2.3/', 'https://smba.trafficmanager.net/amer/', 'ftp://127.0.0.1/', 'not a url'])(
  'a serviceUrl of %s is refused with 403 before any turn runs; nothing is stored', async (serviceUrl) => {
    const from = bot.lines.length;
    const activity = adeleAsks(serviceUrl);
    const response = await post(JSON.stringify(activity), { 'content-type': 'application/json' });
    expect(response.status).toBe(403);
    expect(storedWith(serviceUrl)).toEqual([]);
    expect(bot.lines.slice(from).some((line) => line.includes(activity.id) && line.includes('"msg":"turn'))).toBe(false);
  });
