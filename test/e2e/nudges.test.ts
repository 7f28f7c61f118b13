import { randomUUID } from 'node:crypto';
import { BOT_APP_ID, GROUP, TENANT_ID, USER } from '../../dev/tenant/tenant';
import { blockTexts as texts, ofType } from '../cards/cardNodes';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBot, type BotProcess } from '../support/botProcess';
import { useLocalStack } from '../support/localStack';
import { control, graph, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../support/localTenant';
import { TeamsClient, USERS, type SentActivity } from '../support/teamsClient';

/**
 * Reviewer nudges over real HTTP (issue 13, item 5): Megan opens a personal chat with the bot; Adele creates a
 * one-time review of Sales Team's guests starting tomorrow, reviewed by Megan and Alex (who never talks to the bot).
 * One `POST /_emulator/clock {"advance":"P2D"}` starts it: the bot's nudge pass (app identity) posts Megan one card
 * with a Start button, more passes post nothing more, Alex gets nothing and the bot's log counts him. Then the same
 * with two bot processes sharing one Azurite container: still one card per reviewer.
 */
jest.setTimeout(120_000);

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const UNREACHABLE = /contacted reviewers have no personal chat with the bot: not messaged$/;

/** Adele (Identity Governance Administrator) creates a one-time review of Sales Team's guests starting tomorrow. */
async function createReview(tenant: LocalTenant, name: string): Promise<string> {
  const now = new Date(((await control(tenant, 'GET', '/clock')).body as { now: string }).now);
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const created = await graph(tenant, await userToken(tenant, USER.adele), 'POST', REVIEWS, {
    displayName: name, descriptionForAdmins: 'Nudges e2e.', descriptionForReviewers: 'Do these guests still need access?',
    scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${GROUP.salesTeam}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')`, queryType: 'MicrosoftGraph' },
    reviewers: [USER.megan, USER.alex].map((id) => ({ query: `/users/${id}`, queryType: 'MicrosoftGraph' })),
    settings: {
      mailNotificationsEnabled: true, reminderNotificationsEnabled: true, justificationRequiredOnApproval: false, recommendationsEnabled: true,
      defaultDecisionEnabled: false, autoApplyDecisionsEnabled: false, instanceDurationInDays: 7,
      recurrence: { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, startDate: tomorrow } },
    },
  });
  expect(created.status).toBe(201);
  return String(created.body.id);
}

async function advance(tenant: LocalTenant, by: string): Promise<void> {
  expect((await control(tenant, 'POST', '/clock', { advance: by })).status).toBe(200);
}

/** Megan says `help` in her personal chat (so the bot keeps that conversation); resolves with its id. */
async function meganOpensChat(teams: TeamsClient): Promise<string> {
  const delivery = await teams.message(USERS.megan, 'help', { kind: 'personal' });
  const conversationId = String(delivery.activity.conversation.id);
  await teams.waitFor(() => teams.sent.find((s) => s.conversationId === conversationId), 20_000);
  return conversationId;
}

/** Nudge cards about `review` the bot posted into `conversationId` (new posts only). */
const nudgesIn = (teams: TeamsClient, conversationId: string, review: string): SentActivity[] =>
  teams.sent.filter((s) => s.conversationId === conversationId && texts(s.activity).some((text) => text.includes(`for ${review}, due `)));

/** The bot's JSON log records with this message (or matching it). */
function logRecords(bot: BotProcess, msg: string | RegExp): Array<Record<string, unknown>> {
  return bot.lines.flatMap((line) => {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      const text = String(record.msg);
      return (typeof msg === 'string' ? text === msg : msg.test(text)) ? [record] : [];
    } catch {
      return [];
    }
  });
}

/** Waits until each bot has logged `n` more nudge passes than it had at `from` (passes follow the emulator clock). */
async function passes(bots: readonly BotProcess[], n: number, from: number[]): Promise<void> {
  for (const [index, bot] of bots.entries()) {
    for (let k = 1; k <= n; k++) {
      await bot.waitForLine((line) => line.includes('"nudges: pass done"') && logRecords(bot, 'nudges: pass done').length >= (from[index] ?? 0) + k, { timeoutMs: 20_000 });
    }
  }
}

describe('one bot', () => {
  const stack = useLocalStack({ env: { SSO_MODE: 'local', LOG_LEVEL: 'debug' } });

  test('the start of a run nudges Megan once with a Start button; more passes add nothing; Alex, without a chat, is only counted', async () => {
    const { teams, bot, tenant } = stack;
    const chat = await meganOpensChat(teams);
    const review = 'Nudges e2e review';
    const definitionId = await createReview(tenant, review);
    expect(logRecords(bot, 'nudges: pass done')).toEqual([]); // no Graph read as the app at start-up

    await control(tenant, 'POST', '/stats/reset');
    await advance(tenant, 'P2D');
    const [card] = await teams.waitFor(() => (nudgesIn(teams, chat, review).length > 0 ? nudgesIn(teams, chat, review) : undefined), 30_000);
    const content = teams.adaptiveCards(chat).find((c) => texts(c).some((text) => text.includes(`for ${review}, due `)));
    expect(texts(content)).toEqual(expect.arrayContaining([expect.stringMatching(/^Guests of Sales Team · \d days left$/), 'Do these guests still need access?']));
    expect(texts(content)[0]).toMatch(/^2 items to review for Nudges e2e review, due \w+day \d+ \w+ \d{4}$/);
    const [start] = ofType(content, 'Action.Execute');
    expect(start).toMatchObject({ title: 'Start', verb: 'reviewer.decide', data: { args: `@${definitionId}/${definitionId} undecided 0`, for: USER.megan, open: 'below' } });
    expect(card?.kind).not.toBe('update');
    // Read with the app's own identity only, and reads only (no user token was asked for).
    const stats = (await control(tenant, 'GET', '/stats')).body as { byCaller: { app: number; user: number }; appByRoute: Record<string, number> };
    expect(stats.byCaller).toMatchObject({ user: 0 });
    expect(stats.byCaller.app).toBeGreaterThan(0);
    expect(Object.keys(stats.appByRoute).every((route) => route.startsWith('GET ') || route === 'POST /$batch')).toBe(true);

    // Start opens Megan's decision card below the nudge, read with her own token.
    const pressed = await teams.cardAction(USERS.megan, String(card?.id), String(start?.verb), start?.data);
    expect(pressed.status).toBe(200);
    const decide = await teams.waitFor(() => teams.sent.find((s) => s.conversationId === chat && s.id !== card?.id && texts(s.activity)[0] === review), 20_000);
    expect(texts(decide.activity)).toEqual(expect.arrayContaining([expect.stringMatching(/^You: 2 of 2 to decide/)]));

    // More passes (each clock move past the pass interval brings one): still one card.
    const before = [logRecords(bot, 'nudges: pass done').length];
    await advance(tenant, 'PT1H');
    await passes([bot], 1, before);
    await advance(tenant, 'PT1H');
    await passes([bot], 2, before);
    expect(nudgesIn(teams, chat, review)).toHaveLength(1);

    // Alex is contacted but has no chat with the bot: nothing sent to him, counted (ids only) in one log line.
    expect(teams.sent.filter((s) => s.conversationId.includes(USERS.alex.id.replace(/^29:/, '')))).toEqual([]);
    const counted = logRecords(bot, UNREACHABLE).filter((record) => record.instanceId === definitionId && record.kind === 'start');
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ count: 1, reviewerIds: [USER.alex] });
    expect(logRecords(bot, 'nudge posted').filter((record) => record.instanceId === definitionId)).toHaveLength(1);
  });
});

describe('two bot processes on one Azurite container', () => {
  let azurite: Azurite | undefined;
  let tenant: LocalTenant | undefined;
  const bots: BotProcess[] = [];
  let teams: TeamsClient | undefined;

  beforeAll(async () => {
    [azurite, tenant] = await Promise.all([startAzurite(), startLocalTenant()]);
    const env = { SSO_MODE: 'local', LOG_LEVEL: 'debug', STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_CONTAINER: `nudges-${randomUUID().slice(0, 8)}` };
    // One after the other, as the other Blob Storage tests do (both create the container on their first write).
    bots.push(await startBot(tenant, { env }));
    bots.push(await startBot(tenant, { env }));
    teams = await TeamsClient.start({ botUrl: bots[0]?.messagesUrl ?? '', tenantId: TENANT_ID, botId: BOT_APP_ID });
  }, 60_000);

  afterAll(async () => {
    await teams?.stop();
    await Promise.all(bots.map((bot) => bot.stop()));
    await tenant?.dispose();
    await azurite?.stop();
  });

  test('each contacted reviewer with a chat gets exactly one card, whichever process posts it', async () => {
    if (teams === undefined || tenant === undefined) throw new Error('not started');
    const client = teams;
    const chat = await meganOpensChat(client);
    const review = 'Nudges replicas review';
    const definitionId = await createReview(tenant, review);
    const before = bots.map((bot) => logRecords(bot, 'nudges: pass done').length);
    await advance(tenant, 'P2D');
    await client.waitFor(() => (nudgesIn(client, chat, review).length > 0 ? true : undefined), 30_000);
    await passes(bots, 1, before);
    for (let k = 0; k < 3; k++) {
      await advance(tenant, 'PT1H');
      await passes(bots, 2 + k, before);
      await sleep(200);
    }
    expect(nudgesIn(client, chat, review)).toHaveLength(1);
    const posted = bots.flatMap((bot) => logRecords(bot, 'nudge posted')).filter((record) => record.instanceId === definitionId);
    expect(posted).toEqual([expect.objectContaining({ reviewerId: USER.megan, kind: 'start' })]);
  });
});
