import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { BOT_APP_ID, GROUP, TENANT_ID, USER } from '../../dev/tenant/tenant';
import { startLocalTenant, type LocalTenant } from './localTenant';
import {
  ADAPTIVE_CARD, DEFAULT_ROSTER, GROUP_CHAT_ID, isObject, LOGIN_REQUEST, OAUTH_CARD, SALES_TEAM, TeamsClient, textOf, USERS, type JsonObject,
} from './teamsClient';

/**
 * Self-test of the simulated Teams client against a tiny fake bot (node:http) that calls the connector back
 * through serviceUrl as a CloudAdapter bot does: reply to a message, later update the reply, answer invokes inline.
 */
const GOVERNANCE = SALES_TEAM.channels[1]?.id ?? '';
const BOT = `28:${BOT_APP_ID}`;

interface FakeBot {
  url: string;
  received: JsonObject[];
  authorizations: Array<string | undefined>;
  /** HTTP statuses the connector gave the bot's calls. */
  connectorStatuses: number[];
  /** Lets the bot update its replies (it waits for this after answering Teams). */
  releaseUpdate: () => void;
  background: Array<Promise<void>>;
  server: Server;
}

async function readJson(request: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (!isObject(parsed)) throw new Error('not an activity');
  return parsed;
}

function startFakeBot(): Promise<FakeBot> {
  const gates: Array<() => void> = [];
  const bot: FakeBot = {
    url: '', received: [], authorizations: [], connectorStatuses: [], background: [],
    releaseUpdate: () => gates.splice(0).forEach((open) => open()), server: createServer((request, response) => void handle(request, response)),
  };
  const connector = async (activity: JsonObject, method: string, path: string, body: unknown): Promise<JsonObject> => {
    const response = await fetch(`${String(activity.serviceUrl)}${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    bot.connectorStatuses.push(response.status);
    const parsed: unknown = await response.json();
    return isObject(parsed) ? parsed : {};
  };
  const onMessage = async (activity: JsonObject): Promise<void> => {
    const conversation = encodeURIComponent(String((activity.conversation as JsonObject).id));
    const text = textOf(activity).replace(/<at>.*<\/at>\s*/, '');
    if (text === 'login') {
      const content = { text: 'Sign in', connectionName: 'graph', tokenExchangeResource: { id: 'exchange-1', uri: `api://botid-${BOT_APP_ID}` }, buttons: [] };
      await connector(activity, 'POST', `v3/conversations/${conversation}/activities`, { type: 'message', attachments: [{ contentType: OAUTH_CARD, content }] });
    } else if (text === 'card') {
      const content = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Review' }] };
      await connector(activity, 'POST', `v3/conversations/${conversation}/activities`, { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, content }] });
    } else {
      const path = `v3/conversations/${conversation}/activities/${encodeURIComponent(String(activity.id))}`;
      const reply = await connector(activity, 'POST', path, { type: 'message', text: `echo: ${text}`, replyToId: activity.id });
      if (typeof reply.id !== 'string') return;
      const gate = new Promise<void>((resolve) => gates.push(resolve));
      bot.background.push(gate.then(async () => {
        await connector(activity, 'PUT', `v3/conversations/${conversation}/activities/${reply.id as string}`, { type: 'message', text: `edited: ${text}` });
      }));
    }
  };
  const onInvoke = (activity: JsonObject): { status: number; body?: unknown } => {
    const value = isObject(activity.value) ? activity.value : {};
    if (activity.name === 'adaptiveCard/action' && value.authentication === undefined) {
      // botbuilder answers with the card response's statusCode as the HTTP status.
      return { status: 401, body: { statusCode: 401, type: LOGIN_REQUEST, value: { text: 'Sign in', connectionName: 'graph', tokenExchangeResource: { id: 'ua-1' } } } };
    }
    if (activity.name === 'adaptiveCard/action') return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD, value: { type: 'AdaptiveCard' } } };
    if (activity.name === 'signin/tokenExchange') {
      const claims = jwt.decode(String(value.token), { json: true });
      const ok = claims?.aud === `api://botid-${BOT_APP_ID}`;
      return { status: ok ? 200 : 412, body: { id: value.id, connectionName: value.connectionName, ...(ok ? {} : { failureDetail: 'bad token' }) } };
    }
    return { status: 200, body: { name: activity.name } };
  };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const activity = await readJson(request);
    bot.received.push(activity);
    bot.authorizations.push(request.headers.authorization);
    const answer = activity.type === 'invoke' ? onInvoke(activity) : { status: 200 };
    if (activity.type === 'message') await onMessage(activity);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  };
  return new Promise((resolve) => bot.server.listen(0, '127.0.0.1', () => {
    bot.url = `http://127.0.0.1:${(bot.server.address() as AddressInfo).port}/api/messages`;
    resolve(bot);
  }));
}

let bot: FakeBot;
let client: TeamsClient;
beforeAll(async () => {
  bot = await startFakeBot();
  client = await TeamsClient.start({ botUrl: bot.url, tenantId: TENANT_ID, botId: BOT_APP_ID, channelToken: () => Promise.resolve('channel-token') });
});
afterAll(async () => {
  bot.releaseUpdate();
  await Promise.all(bot.background);
  await client.stop();
  await new Promise<void>((resolve) => {
    bot.server.close(() => resolve());
    bot.server.closeAllConnections();
  });
});
beforeEach(() => {
  client.clear();
  bot.received.length = 0;
  bot.connectorStatuses.length = 0;
});

/** The connector as the bot would call it (ids URL-encoded). */
const call = (method: string, path: string, body?: unknown): Promise<Response> => fetch(`${client.serviceUrl}${path}`, {
  method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});
const enc = encodeURIComponent;

test('a personal message has the Teams shape; the reply and a later update are recorded, waitFor wakes on the update', async () => {
  const result = await client.message(USERS.adele, 'hello');
  expect(result.status).toBe(200);
  const got = bot.received[0];
  expect(got).toMatchObject({
    type: 'message', channelId: 'msteams', serviceUrl: client.serviceUrl, text: 'hello', textFormat: 'plain', locale: 'en-US',
    from: { id: '29:adele', name: 'Adele Vance', aadObjectId: USER.adele }, recipient: { id: BOT, name: 'Access Reviews' },
    conversation: { id: 'a:personal-chat-adele', conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  });
  expect(client.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(got?.conversation).not.toHaveProperty('isGroup');
  expect(got?.channelData).not.toHaveProperty('team');
  expect(JSON.stringify(got?.entities)).not.toContain('mention');
  expect(bot.authorizations.at(-1)).toBe('Bearer channel-token');

  expect(client.sent).toHaveLength(1);
  const reply = client.sent[0];
  expect(reply).toMatchObject({ kind: 'reply', conversationId: 'a:personal-chat-adele', replyToId: result.activity.id });
  expect(client.textOf(reply?.activity ?? {})).toBe('echo: hello');

  expect(client.updates).toHaveLength(0);
  const updated = client.waitForUpdate((update) => update.id === reply?.id);
  bot.releaseUpdate();
  expect(textOf(await updated)).toBe('edited: hello');
  expect(client.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 201', 'PUT 200']);
  expect(client.calls[0]?.path).toBe(`/v3/conversations/a:personal-chat-adele/activities/${result.activity.id}`);
});

test('channel messages @mention the bot and carry team and channel; group chats are groups', async () => {
  const channel = await client.message(USERS.megan, 'summary all', { kind: 'channel', channelId: GOVERNANCE });
  const threadId = `${GOVERNANCE};messageid=${channel.activity.id}`;
  expect(bot.received[0]).toMatchObject({
    text: '<at>Access Reviews</at> summary all',
    entities: expect.arrayContaining([{ type: 'mention', mentioned: { id: BOT, name: 'Access Reviews' }, text: '<at>Access Reviews</at>' }]),
    conversation: { id: threadId, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: {
      tenant: { id: TENANT_ID }, team: { id: SALES_TEAM.id, name: 'Sales Team' },
      channel: { id: GOVERNANCE, name: 'Governance' },
    },
  });
  // As Teams: a message names its team by id and name; the group id comes on install events and from GET /v3/teams/{id}.
  expect((bot.received[0]?.channelData as { team?: object } | undefined)?.team).not.toHaveProperty('aadGroupId');
  expect(client.sent[0]?.conversationId).toBe(threadId);

  await client.message(USERS.alex, 'help', { kind: 'groupChat', mention: false });
  expect(bot.received[1]).toMatchObject({
    text: 'help', conversation: { id: GROUP_CHAT_ID, conversationType: 'groupChat', isGroup: true }, channelData: { tenant: { id: TENANT_ID } },
  });
  expect(bot.received[1]?.channelData).not.toHaveProperty('team');
});

test('install sends conversationUpdate (bot added) then installationUpdate (add), for a team and a personal chat', async () => {
  const team = await client.install({ kind: 'channel' }, USERS.megan);
  expect([team.conversationUpdate.status, team.installationUpdate.status]).toEqual([200, 200]);
  expect(bot.received[0]).toMatchObject({
    type: 'conversationUpdate', membersAdded: [{ id: BOT }], from: { id: '29:megan' },
    conversation: { id: SALES_TEAM.id, conversationType: 'channel' }, channelData: { eventType: 'teamMemberAdded', team: { id: SALES_TEAM.id } },
  });
  expect(bot.received[1]).toMatchObject({ type: 'installationUpdate', action: 'add', channelData: { team: { aadGroupId: GROUP.salesTeam } } });
  await client.install({ kind: 'personal' }, USERS.lee);
  expect(bot.received[2]).toMatchObject({ type: 'conversationUpdate', conversation: { id: 'a:personal-chat-lee', conversationType: 'personal' } });
  expect(bot.received[2]?.channelData).not.toHaveProperty('eventType');
});

test('the connector answers roster, team and channel queries and records deletes; unknown ids get 404', async () => {
  const members = (await (await call('GET', `v3/conversations/${enc(GOVERNANCE)}/members`)).json()) as JsonObject[];
  expect(members).toHaveLength(7);
  expect(members[0]).toEqual({
    id: '29:adele', name: 'Adele Vance', aadObjectId: USER.adele, givenName: 'Adele', surname: 'Vance', email: 'adele@contoso.local',
    userPrincipalName: 'adele@contoso.local', tenantId: TENANT_ID, userRole: 'user',
  });
  const seen: unknown[] = [];
  let token: string | undefined;
  do {
    const query = `pageSize=3${token === undefined ? '' : `&continuationToken=${token}`}`;
    const page = (await (await call('GET', `v3/conversations/${enc(SALES_TEAM.id)}/pagedmembers?${query}`)).json()) as JsonObject;
    seen.push(...(page.members as unknown[]));
    token = typeof page.continuationToken === 'string' ? page.continuationToken : undefined;
  } while (token !== undefined);
  expect(seen).toHaveLength(7);
  expect(await (await call('GET', `v3/conversations/${enc(GROUP_CHAT_ID)}/members/${USER.megan}`)).json()).toMatchObject({ id: '29:megan' });
  const missing = await call('GET', `v3/conversations/${enc(GROUP_CHAT_ID)}/members/29:nobody`);
  expect([missing.status, await missing.json()]).toEqual([404, { error: { code: 'MemberNotFoundInConversation', message: 'member 29:nobody not found' } }]);

  client.setRoster([USERS.megan, USERS.alex], SALES_TEAM.id);
  expect(await (await call('GET', `v3/conversations/${enc(`${GOVERNANCE};messageid=1`)}/members`)).json()).toHaveLength(2);
  expect(await (await call('GET', `v3/teams/${enc(SALES_TEAM.id)}`)).json()).toMatchObject({ id: SALES_TEAM.id, name: 'Sales Team', aadGroupId: GROUP.salesTeam, memberCount: 2 });
  client.setRoster(DEFAULT_ROSTER, SALES_TEAM.id);
  expect(await (await call('GET', `v3/teams/${enc(SALES_TEAM.id)}/conversations`)).json()).toEqual({
    conversations: [{ id: SALES_TEAM.id }, { id: GOVERNANCE, name: 'Governance' }],
  });
  expect((await call('GET', `v3/teams/${enc('19:nope@thread.tacv2')}`)).status).toBe(404);
  expect((await call('POST', `v3/conversations/${enc('19:nope@thread.tacv2')}/activities`, { type: 'message' })).status).toBe(404);

  const created = (await (await call('POST', 'v3/conversations', {
    isGroup: true, channelData: { channel: { id: GOVERNANCE }, tenant: { id: TENANT_ID } }, activity: { type: 'message', text: 'digest' },
  })).json()) as JsonObject;
  expect(created).toEqual({ id: `${GOVERNANCE};messageid=${String(created.activityId)}`, activityId: expect.any(String) });
  expect((await call('POST', 'v3/conversations', { members: [{ id: '29:diego' }] })).status).toBe(201);
  expect(client.sent.map((sent) => [sent.kind, sent.conversationId])).toEqual([['create', created.id]]);
  expect((await call('DELETE', `v3/conversations/${enc(String(created.id))}/activities/${String(created.activityId)}`)).status).toBe(200);
  expect(client.deletes).toEqual([{ conversationId: created.id, activityId: created.activityId }]);
  expect((await call('PUT', `v3/conversations/${enc(String(created.id))}/activities/${String(created.activityId)}`, { type: 'message' })).status).toBe(404);
});

test('failNext fails the next connector calls with the status and Retry-After, then the connector recovers', async () => {
  client.failNext(429, 2, 3);
  const first = await call('POST', `v3/conversations/${enc(GROUP_CHAT_ID)}/activities`, { type: 'message', text: 'one' });
  expect([first.status, first.headers.get('retry-after'), await first.json()]).toEqual([429, '3', { error: { code: 'TooManyRequests', message: 'failure injected by TeamsClient.failNext' } }]);
  await client.message(USERS.adele, 'throttled');
  expect(bot.connectorStatuses).toEqual([429]);
  expect((await call('POST', `v3/conversations/${enc(GROUP_CHAT_ID)}/activities`, { type: 'message', text: 'two' })).status).toBe(201);
  expect(client.calls.map((c) => [c.status, c.injected])).toEqual([[429, true], [429, true], [201, false]]);
  expect(client.sent.map((sent) => textOf(sent))).toEqual(['two']);

  client.failNext(502, 1, undefined, ({ method }) => method === 'PUT');
  await client.message(USERS.adele, 'card');
  expect(bot.connectorStatuses.at(-1)).toBe(201);
  expect(client.adaptiveCards()).toEqual([{ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Review' }] }]);
});

test('a card action answered with 401 loginRequest is re-sent with authentication, in the card conversation', async () => {
  await client.message(USERS.adele, 'card', { kind: 'channel' });
  const card = await client.waitForSent((sent) => client.attachmentsOf(sent).some((a) => a.contentType === ADAPTIVE_CARD));
  const action = { activityId: card.id, verb: 'refresh', data: { reviewId: 'r1' } };
  const first = await client.cardAction(USERS.adele, action.activityId, action.verb, action.data);
  expect(first).toMatchObject({ status: 401, body: { statusCode: 401, type: LOGIN_REQUEST } });
  expect(bot.received.at(-1)).toMatchObject({
    type: 'invoke', name: 'adaptiveCard/action', replyToId: card.id, conversation: { id: card.conversationId, conversationType: 'channel' },
    value: { action: { type: 'Action.Execute', verb: 'refresh', data: { reviewId: 'r1' } }, trigger: 'manual' },
  });
  const second = await client.answerLoginRequest(USERS.adele, first, action, 'given-sso-token');
  expect(second).toMatchObject({ status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD } });
  expect((bot.received.at(-1)?.value as JsonObject).authentication).toEqual({ id: 'ua-1', connectionName: 'graph', token: 'given-sso-token' });
});

describe("the connector's rate limits (Teams' documented limits, sliding windows, on the connector's clock)", () => {
  let now = Date.parse('2026-01-05T09:00:00Z');
  let limited: TeamsClient;
  beforeAll(async () => {
    limited = await TeamsClient.start({ botUrl: bot.url, tenantId: TENANT_ID, botId: BOT_APP_ID, now: () => now });
  });
  afterAll(async () => {
    await limited.stop();
  });
  beforeEach(() => {
    limited.clear();
    now += 3_600_000;
  });
  const post = (conversationId: string, text = 'digest'): Promise<Response> =>
    fetch(`${limited.serviceUrl}v3/conversations/${enc(conversationId)}/activities`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text }),
    });

  test('7 posts a second in a conversation, then 429 with Retry-After (refused posts not recorded); other conversations unaffected', async () => {
    const statuses: number[] = [];
    for (let n = 1; n <= 7; n++) statuses.push((await post(GROUP_CHAT_ID, `p${n}`)).status);
    const eighth = await post(GROUP_CHAT_ID, 'p8');
    expect([...statuses, eighth.status]).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
    expect(eighth.headers.get('retry-after')).toBe('1');
    expect(await eighth.json()).toEqual({ error: { code: 'TooManyRequests', message: expect.any(String) as string } });
    expect((await post('19:another-chat@thread.v2')).status).toBe(201);
    expect(limited.sent.map((sent) => textOf(sent))).not.toContain('p8');
    expect(limited.calls.filter((c) => c.throttled).map((c) => [c.status, c.injected])).toEqual([[429, false]]);

    // One second later the 1 s window is clear, but 8 in 2 s is the next limit: one more fits, then Retry-After 1.
    now += 1_000;
    expect((await post(GROUP_CHAT_ID, 'p9')).status).toBe(201);
    const tenth = await post(GROUP_CHAT_ID, 'p10');
    expect([tenth.status, tenth.headers.get('retry-after')]).toEqual([429, '1']);
    expect(limited.acceptedPosts().map((c) => c.at)).toEqual([...Array(8).fill(now - 1_000), now]);
  });

  test('60 posts in 30 s in a conversation: the 61st gets Retry-After until the oldest leaves the window', async () => {
    const start = now;
    for (let n = 0; n < 60; n++) {
      expect((await post(GROUP_CHAT_ID)).status).toBe(201);
      now += 300;
    }
    const refused = await post(GROUP_CHAT_ID);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(Math.ceil((start + 30_000 - now) / 1000));
  });

  test('50 requests a second for the app in the tenant, whatever the conversations; an update (PUT) counts and still works', async () => {
    const answers = await Promise.all(Array.from({ length: 49 }, (_, n) => post(`19:chat-${n}@thread.v2`)));
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const first = (await answers[0]?.json()) as { id: string };
    const update = await fetch(`${limited.serviceUrl}v3/conversations/${enc('19:chat-0@thread.v2')}/activities/${first.id}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'updated' }),
    });
    expect(update.status).toBe(200);
    expect(limited.updates.map((sent) => [sent.id, textOf(sent)])).toEqual([[first.id, 'updated']]);
    const over = await post('19:one-more@thread.v2');
    expect([over.status, over.headers.get('retry-after')]).toEqual([429, '1']);
    now += 1_000;
    expect((await post('19:one-more@thread.v2')).status).toBe(201);
    expect(limited.acceptedPosts()).toHaveLength(51);
  });

  test('a conversation the bot was removed from answers 403 (or 404 for a deleted one); uninstall and install do the same', async () => {
    const general = SALES_TEAM.id;
    limited.removeBot(general);
    const refused = await post(GOVERNANCE);
    expect([refused.status, await refused.json()]).toEqual([403, { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }]);
    expect((await post(GROUP_CHAT_ID)).status).toBe(201);
    limited.removeBot(GROUP_CHAT_ID, 404);
    const missing = await post(GROUP_CHAT_ID);
    expect([missing.status, await missing.json()]).toEqual([404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } }]);
    limited.restoreBot(general);
    expect((await post(GOVERNANCE)).status).toBe(201);

    await limited.uninstall({ kind: 'channel' });
    expect((await post(`${GOVERNANCE};messageid=123`)).status).toBe(403);
    await limited.install({ kind: 'channel' });
    expect((await post(GOVERNANCE)).status).toBe(201);
  });
});

describe('with the local tenant', () => {
  let tenant: LocalTenant;
  beforeAll(async () => {
    tenant = await startLocalTenant();
  });
  afterAll(async () => {
    await tenant.dispose();
  });

  test('signInFromOAuthCard answers the OAuthCard with signin/tokenExchange carrying the user\'s SSO token', async () => {
    await client.message(USERS.adele, 'login');
    const card = await client.waitForOAuthCard('a:personal-chat-adele');
    const result = await client.signInFromOAuthCard(USERS.adele, card, tenant);
    expect(result).toMatchObject({ status: 200, body: { id: 'exchange-1', connectionName: 'graph' } });
    const invoke = bot.received.at(-1);
    expect(invoke).toMatchObject({ type: 'invoke', name: 'signin/tokenExchange', conversation: { id: 'a:personal-chat-adele' } });
    const value = invoke?.value as JsonObject;
    expect(value).toMatchObject({ id: 'exchange-1', connectionName: 'graph' });
    expect(jwt.decode(String(value.token), { json: true })).toMatchObject({ aud: `api://botid-${BOT_APP_ID}`, oid: USER.adele, tid: TENANT_ID });

    const forged = await client.exchangeToken(USERS.adele, card, 'forged');
    expect(forged).toMatchObject({ status: 412, body: { id: 'exchange-1', failureDetail: 'bad token' } });
  });
});
