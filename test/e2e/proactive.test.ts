import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TurnContext, type Activity } from 'botbuilder';
import { createAdapter } from '../../bot/adapter';
import { systemClock } from '../../bot/clock';
import { loadConfig } from '../../bot/config';
import { ConversationStore } from '../../bot/conversations';
import { createLogger } from '../../bot/logger';
import { botbuilderConnector } from '../../bot/proactive/botConnector';
import { isProactiveSendError } from '../../bot/proactive/connectorFailure';
import { TEAMS_CONVERSATION_LIMITS, TEAMS_TENANT_LIMITS, type ProactiveLimits } from '../../bot/proactive/limits';
import { ProactiveSender } from '../../bot/proactive/sender';
import type { KeyValueStore } from '../../bot/storage/keyValueStore';
import { SqliteStorage } from '../../bot/storage/sqliteStorage';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { useLocalStack } from '../support/localStack';
import {
  messageActivity, SALES_TEAM, TeamsClient, textOf, USERS, type ConnectorCall, type TeamsTeam, type WireContext,
} from '../support/teamsClient';
import { connectorRates } from '../support/connectorLimits';

/**
 * Proactive posting (issue 12, items 5 and 7) over real HTTP: the sender runs in this process with a CloudAdapter
 * wired as bot/app.ts wires it (local mode: no app id), posting to the simulated Teams connector, which enforces
 * Teams' rate limits and answers 429 with Retry-After past them. Rates are measured from the connector's records.
 */

const BIG_TEAM: TeamsTeam = {
  id: '19:big-team-general@thread.tacv2', name: 'Big Team', aadGroupId: '33333333-3333-4333-8333-333333333333',
  channels: Array.from({ length: 100 }, (_, n) => ({ id: n === 0 ? '19:big-team-general@thread.tacv2' : `19:big-${n}@thread.tacv2`, name: `Channel ${n}` })),
};


/** Per-window maxima of `calls`: per tenant (all) and the worst conversation. */
const rates = (calls: ConnectorCall[]): ReturnType<typeof connectorRates> => connectorRates(calls, TEAMS_CONVERSATION_LIMITS.map((limit) => limit.windowMs));

/** A sender in this process on `storage`, through a CloudAdapter as bot/app.ts builds it (its onTurnError included). */
function senderOn(storage: KeyValueStore, limits?: ProactiveLimits): { sender: ProactiveSender; conversations: ConversationStore; logLines: string[] } {
  const logLines: string[] = [];
  const log = createLogger('info', { write: (line: string) => { logLines.push(line); } });
  const config = loadConfig({ LOCAL_DATA_DIR: '/tmp/unused-proactive-e2e' });
  const dialogStates = { delete: () => Promise.resolve() } as unknown as Parameters<typeof createAdapter>[1];
  const adapter = createAdapter(config, dialogStates, log);
  const conversations = new ConversationStore(storage, systemClock);
  const sender = new ProactiveSender({ connector: botbuilderConnector(adapter, config.bot.appId, log), conversations, log, clock: systemClock, ...(limits ? { limits } : {}) });
  return { sender, conversations, logLines };
}

const numbers: Record<string, unknown> = {};
afterAll(() => {
  if (process.env.PROACTIVE_NUMBERS) writeFileSync(process.env.PROACTIVE_NUMBERS, JSON.stringify(numbers, null, 2));
});

describe('100 channels due at the same minute', () => {
  let teams: TeamsClient;
  let storage: SqliteStorage;
  beforeAll(async () => {
    // No bot process here: the references are written from Teams-shaped channel messages, as the bot's turns write them.
    teams = await TeamsClient.start({ botUrl: 'http://127.0.0.1:9/api/messages', tenantId: TENANT_ID, botId: BOT_APP_ID, teams: [BIG_TEAM] });
    storage = new SqliteStorage(':memory:');
    const ctx: WireContext = { serviceUrl: teams.serviceUrl, tenantId: TENANT_ID, botId: BOT_APP_ID, botName: 'Access Reviews', teams: [BIG_TEAM], nextId: () => String(Date.now()) };
    const { adapter, conversations } = { adapter: createAdapter(loadConfig({}), {} as never, createLogger('silent')), conversations: new ConversationStore(storage, systemClock) };
    for (const channel of BIG_TEAM.channels) {
      const activity = messageActivity(ctx, USERS.adele, 'subscribe all daily', { kind: 'channel', teamId: BIG_TEAM.id, channelId: channel.id });
      await conversations.remember(new TurnContext(adapter, activity as unknown as Partial<Activity>), 'channel');
    }
  });
  afterAll(async () => {
    await teams.stop();
    await storage.close();
  });
  beforeEach(() => teams.clear());

  const postAll = (sender: ProactiveSender, extra: number): Promise<Array<{ activityId: string }>> => Promise.all([
    ...BIG_TEAM.channels.map((channel, n) => sender.post(channel.id, { type: 'message', text: `digest ${n}` })),
    // A second digest to the first few channels, due at the same minute too.
    ...BIG_TEAM.channels.slice(0, extra).map((channel, n) => sender.post(channel.id, { type: 'message', text: `digest ${n} (second)` })),
  ]);

  const expectExactlyOnce = (results: Array<{ activityId: string }>, expected: number): void => {
    expect(results).toHaveLength(expected);
    const texts = teams.sent.map((sent) => textOf(sent));
    expect(new Set(texts).size).toBe(expected);
    expect(texts).toHaveLength(expected);
    expect(new Set(results.map((result) => result.activityId))).toEqual(new Set(teams.sent.map((sent) => sent.id)));
  };

  test('default limits: every digest delivered once; every call (attempts included) within Teams\' limits; injected 429s retried', async () => {
    teams.failNext(429, 6, 1, ({ method }) => method === 'POST');
    const started = Date.now();
    const results = await postAll(senderOn(storage).sender, 10);
    const elapsedMs = Date.now() - started;
    expectExactlyOnce(results, 110);
    const injected = teams.calls.filter((call) => call.injected);
    expect(injected).toHaveLength(6);
    // Each refused post was sent again and accepted (the reply id in the path is new on each attempt: compare texts).
    const acceptedTexts = teams.acceptedPosts().map((call) => textOf(call.body));
    for (const call of injected) expect(acceptedTexts).toContain(textOf(call.body));
    // The sender's own buckets keep even its attempts inside the limits: the connector never had to throttle.
    expect(teams.calls.filter((call) => call.throttled)).toEqual([]);
    const measured = rates(teams.calls);
    expect(measured.tenantPerSecond).toBeLessThanOrEqual(50);
    for (const limit of TEAMS_CONVERSATION_LIMITS) expect(measured.conversation[limit.windowMs]).toBeLessThanOrEqual(limit.max);
    numbers.defaultLimits = { posts: results.length, elapsedMs, calls: teams.calls.length, ...measured };
  }, 60_000);

  test('a sender that ignores the limits is throttled by the connector: every 429 retried after Retry-After, none delivered twice', async () => {
    const careless: ProactiveLimits = { conversation: { burst: 50, refillAmount: 50, refillEveryMs: 100 }, tenant: { burst: 500, refillAmount: 500, refillEveryMs: 100 } };
    const started = Date.now();
    const results = await postAll(senderOn(storage, careless).sender, 20);
    const elapsedMs = Date.now() - started;
    expectExactlyOnce(results, 120);
    const throttled = teams.calls.filter((call) => call.throttled);
    expect(throttled.length).toBeGreaterThan(0);
    for (const call of throttled) expect(call.status).toBe(429);
    // No 429 left unretried: every refused digest was accepted later.
    const acceptedTexts = new Set(teams.acceptedPosts().map((call) => textOf(call.body)));
    expect(throttled.filter((call) => !acceptedTexts.has(textOf(call.body)))).toEqual([]);
    // Accepted posts never exceed Teams' limits, measured at the connector.
    const accepted = rates(teams.acceptedPosts());
    for (const limit of TEAMS_TENANT_LIMITS) expect(accepted.tenantPerSecond).toBeLessThanOrEqual(limit.max);
    for (const limit of TEAMS_CONVERSATION_LIMITS) expect(accepted.conversation[limit.windowMs]).toBeLessThanOrEqual(limit.max);
    numbers.carelessLimits = { posts: results.length, elapsedMs, calls: teams.calls.length, throttled: throttled.length, ...accepted };
  }, 60_000);

  test('a 502 or a reset on a new post is sent once only: neither the sender nor botbuilder\'s own retries send it again', async () => {
    const { sender, logLines } = senderOn(storage);
    const channel = BIG_TEAM.channels[7]?.id ?? '';
    teams.failNext(502, 4, undefined, ({ method }) => method === 'POST');
    await expect(sender.post(channel, { type: 'message', text: 'maybe posted' })).rejects.toMatchObject({ reason: 'unconfirmed', status: 502 });
    // botbuilder's pipeline alone would have made 4 calls (3 retries with backoff).
    expect(teams.calls.map((call) => call.status)).toEqual([502]);
    expect(logLines.filter((line) => line.includes('may or may not have reached Teams'))).toHaveLength(1);
    teams.clear();
    // An update of the same kind of failure is retried: a PUT cannot post twice.
    const { activityId } = await sender.post(channel, { type: 'message', text: 'v1' });
    teams.failNext(502, 2, undefined, ({ method }) => method === 'PUT');
    await sender.update(channel, activityId, { type: 'message', text: 'v2' });
    expect(teams.calls.map((call) => [call.method, call.status])).toEqual([['POST', 201], ['PUT', 502], ['PUT', 502], ['PUT', 200]]);
  }, 30_000);

  test('an update (PUT) of a posted digest goes through the same queues', async () => {
    const { sender } = senderOn(storage);
    const channel = BIG_TEAM.channels[5]?.id ?? '';
    const { activityId } = await sender.post(channel, { type: 'message', text: 'v1' });
    await sender.update(channel, activityId, { type: 'message', text: 'v2' });
    expect(teams.updates.map((update) => [update.id, update.conversationId, textOf(update)])).toEqual([[activityId, channel, 'v2']]);
  });
});

describe('uninstall and removal, with the bot', () => {
  const stack = useLocalStack({ env: { SSO_MODE: 'local' } });
  const GOVERNANCE = SALES_TEAM.channels[1]?.id ?? '';
  let storage: SqliteStorage;
  beforeAll(() => {
    // The bot's own state file, read and written beside the bot process (SQLite in WAL mode allows it).
    storage = new SqliteStorage(join(stack.bot.dataDir, 'bot', 'state.sqlite'));
  });
  afterAll(async () => {
    await storage.close();
  });

  test('install in a team keeps its channels; uninstall (as Teams sends it) removes them, so nothing is posted there', async () => {
    const { sender, conversations } = senderOn(storage);
    await stack.teams.install({ kind: 'channel' });
    await stack.teams.message(USERS.adele, 'help', { kind: 'channel', channelId: GOVERNANCE });
    expect((await conversations.get(SALES_TEAM.id))?.scope).toBe('channel');
    expect((await conversations.get(GOVERNANCE))?.reference.conversation?.id).toBe(GOVERNANCE);
    const { activityId } = await sender.post(GOVERNANCE, { type: 'message', text: 'digest before' });
    expect(stack.teams.sent.find((sent) => sent.id === activityId)?.conversationId).toBe(GOVERNANCE);

    const removal = await stack.teams.uninstall({ kind: 'channel' });
    expect([removal.conversationUpdate.status, removal.installationUpdate.status]).toEqual([200, 200]);
    expect(removal.installationUpdate.activity).toMatchObject({ type: 'installationUpdate', action: 'remove' });
    expect(await conversations.get(SALES_TEAM.id)).toBeUndefined();
    expect(await conversations.get(GOVERNANCE)).toBeUndefined();
    const calls = stack.teams.calls.length;
    await expect(sender.post(GOVERNANCE, { type: 'message', text: 'digest after' })).rejects.toMatchObject({ reason: 'unknownConversation' });
    expect(stack.teams.calls).toHaveLength(calls);
  });

  test('a deleted channel is forgotten; a deleted team takes all its channels with it', async () => {
    const { conversations } = senderOn(storage);
    await stack.teams.install({ kind: 'channel' });
    await stack.teams.message(USERS.adele, 'help', { kind: 'channel', channelId: GOVERNANCE });
    expect(await conversations.get(GOVERNANCE)).toBeDefined();
    const deleted = await stack.teams.teamEvent('channelDeleted', { channelId: GOVERNANCE });
    expect(deleted.status).toBe(200);
    expect(await conversations.get(GOVERNANCE)).toBeUndefined();
    expect(await conversations.get(SALES_TEAM.id)).toBeDefined();
    expect((await stack.teams.teamEvent('teamDeleted')).status).toBe(200);
    expect(await conversations.get(SALES_TEAM.id)).toBeUndefined();
  });

  test('a 403 from the connector suspends the conversation (logged once, never retried); a new install lifts it', async () => {
    const { sender, conversations, logLines } = senderOn(storage);
    await stack.teams.install({ kind: 'channel' });
    await stack.teams.message(USERS.adele, 'help', { kind: 'channel', channelId: GOVERNANCE });
    stack.teams.clear();
    // The bot is gone from the team without the bot hearing of it.
    stack.teams.removeBot(SALES_TEAM.id);
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => sender.post(GOVERNANCE, { type: 'message', text: `digest ${n}` })));
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && isProactiveSendError(outcome.reason, 'suspended'))).toBe(true);
    expect(stack.teams.calls.map((call) => call.status)).toEqual([403]);
    expect((await conversations.get(GOVERNANCE))?.suspended).toMatchObject({ reason: 'BotNotInConversationRoster', status: 403 });
    expect(logLines.filter((line) => line.includes('conversation suspended'))).toHaveLength(1);
    // Nothing reached onTurnError (which would apologise in the channel).
    expect(logLines.filter((line) => line.includes('turn failed'))).toEqual([]);

    await stack.teams.install({ kind: 'channel', channelId: GOVERNANCE });
    expect((await conversations.get(GOVERNANCE))?.suspended).toBeUndefined();
    await expect(sender.post(GOVERNANCE, { type: 'message', text: 'digest again' })).resolves.toHaveProperty('activityId');
  });
});
