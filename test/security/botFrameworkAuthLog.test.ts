import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { ActivityTypes, MemoryStorage, ConversationState } from 'botbuilder';
import { createAdapter } from '../../bot/adapter';
import { loadConfig } from '../../bot/config';
import { answerActivity } from '../../bot/http/adapterAnswer';
import { captureLog, JWT_SHAPED } from '../bot/auth/logCapture';
import { signChannelToken, startProductionBot, type BotProcess } from '../support/botProcess';
import { ssoToken, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { rawRequest } from './httpHarness';

/**
 * Issue 14 item 5: a request to /api/messages whose Bot Framework token is missing or invalid is answered with a
 * plain 401 and logged through the logger as ONE structured warning line (reason, activity type, channel id): no
 * stack trace, nothing on the console (CloudAdapter.process would console.error the whole error), no token.
 * In process: the cases refused before any key is fetched (nothing leaves the process); tokens that need the
 * channel's keys go to the production-mode bot process, whose channel keys are the local identity provider's.
 */
const APP_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
const TENANT = 'bbbbbbbb-0000-4000-8000-000000000002';
const config = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: TENANT, PUBLIC_BASE_URL: 'https://bot.contoso.example' });
const ACTIVITY = {
  type: 'message', id: 'a1', text: 'help', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/', from: { id: '29:adele' },
  conversation: { id: 'a:x' }, recipient: { id: `28:${APP_ID}` }, timestamp: '2026-06-01T10:00:00.000Z',
};
let consoleCalls: jest.SpyInstance[];
beforeEach(() => {
  consoleCalls = (['error', 'warn', 'log', 'info'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
});
afterEach(() => {
  jest.restoreAllMocks();
});

test.each<[string, Record<string, string>, RegExp]>([
  ['no Authorization header', {}, /^no Authorization header$/],
  ['a token that is not a JWT', { authorization: 'Bearer garbage' }, /\w/],
  ['a scheme other than Bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, /\w/],
])('%s: 401 {"error":"Unauthorized"}, one warning line, no stack, no token, nothing else on the console', async (_name, headers, reason) => {
  const capture = captureLog();
  const adapter = createAdapter(config, new ConversationState(new MemoryStorage()), capture.log);
  const logic = jest.fn(() => Promise.resolve());
  const answer = await answerActivity(adapter, { ...ACTIVITY }, headers, logic, capture.log);
  expect(answer).toEqual({ status: 401, body: { error: 'Unauthorized' } });
  expect(logic).not.toHaveBeenCalled();
  const lines = capture.records().filter((record) => record.msg !== 'Bot Framework credential');
  expect(lines).toEqual([{
    level: 40, time: expect.any(Number) as number, name: 'access-review-bot', status: 401, reason: expect.stringMatching(reason) as string,
    activityType: 'message', channelId: 'msteams', msg: 'activity refused',
  }]);
  expect(capture.text()).not.toMatch(/stack|"err"/);
  expect(capture.text()).not.toMatch(JWT_SHAPED);
  for (const call of consoleCalls) expect(call).not.toHaveBeenCalled();
});

test('local mode (no app id, authentication off) runs the turn with the activity as CloudAdapter.process would give it', async () => {
  const capture = captureLog();
  const adapter = createAdapter(loadConfig({}), new ConversationState(new MemoryStorage()), capture.log);
  let seen: Record<string, unknown> = {};
  const answer = await answerActivity(adapter, { ...ACTIVITY, serviceUrl: 'http://127.0.0.1:9/' }, {}, (turn) => {
    seen = { ...turn.activity };
    return Promise.resolve();
  }, capture.log);
  expect(answer.status).toBe(200);
  expect(seen.type).toBe(ActivityTypes.Message);
  expect(seen.timestamp).toBeInstanceOf(Date);
  expect(seen.rawTimestamp).toBe(ACTIVITY.timestamp);
  expect(capture.records().filter((record) => (record.level as number) >= 40)).toEqual([]);
});

test('an invoke\'s response passes unchanged (status and body)', async () => {
  const capture = captureLog();
  const adapter = createAdapter(loadConfig({}), new ConversationState(new MemoryStorage()), capture.log);
  const answer = await answerActivity(adapter, { ...ACTIVITY, type: 'invoke', name: 'adaptiveCard/action', serviceUrl: 'http://127.0.0.1:9/' }, {}, async (turn) => {
    await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 412, body: { failureDetail: 'x' } } });
  }, capture.log);
  expect(answer).toEqual({ status: 412, body: { failureDetail: 'x' } });
});

describe('the production-mode bot process (channel keys from the local identity provider)', () => {
  let tenant: LocalTenant;
  let bot: BotProcess;
  beforeAll(async () => {
    tenant = await startLocalTenant();
    bot = await startProductionBot(tenant);
  }, 60_000);
  afterAll(async () => {
    await bot.stop();
    await tenant.dispose();
  });

  /** A token naming the channel's key id but signed with another key: a forger who read the public metadata. */
  const knownKidForged = (): string => {
    const [key] = JSON.parse(readFileSync(join(tenant.dataDir, 'identity', 'signing-keys.json'), 'utf8')) as Array<{ kid?: string }>;
    return jwt.sign({ serviceurl: ACTIVITY.serviceUrl }, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      { algorithm: 'RS256', keyid: key?.kid ?? '', issuer: 'https://api.botframework.com', audience: APP_ID, expiresIn: 300 });
  };

  test.each<[string, () => Promise<string> | string]>([
    ['the channel\'s key id with a bad signature (botbuilder alone would answer 500)', knownKidForged],
    ['an expired channel token', () => signChannelToken(tenant, ACTIVITY.serviceUrl, -3600)],
    ['a user token of the tenant (another audience)', () => ssoToken(tenant, 'adele@contoso.local')],
  ])('%s: 401, one structured warning, no stack, the token nowhere in the output', async (_name, make) => {
    const token = await make();
    const from = bot.lines.length;
    const response = await rawRequest(bot.messagesUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(ACTIVITY),
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ error: 'Unauthorized' });
    const line = await bot.waitForLine((l) => l.includes('"msg":"activity refused"'), { from });
    expect(JSON.parse(line)).toMatchObject({ level: 40, status: 401, reason: expect.stringMatching(/\w/) as string, activityType: 'message', channelId: 'msteams' });
    expect(line).not.toMatch(/stack|"err"/);
    const output = bot.lines.slice(from).join('\n');
    // Everything the process wrote is the logger's JSON: botframework-connector's own console.error calls (an expired
    // token's stack, "Error finding key…") come through the console bridge as structured lines too.
    expect(bot.lines.slice(from).filter((l) => !/^\{"level":\d+,/.test(l))).toEqual([]);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain(token.split('.')[2]);
    expect(output).not.toMatch(JWT_SHAPED);
  });
});
