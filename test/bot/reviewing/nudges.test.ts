import type { Activity } from 'botbuilder';
import { renderNudgeCard, type NudgeCardData } from '../../../cards/nudge';
import { validateCard, MAX_CARD_BYTES } from '../../../cards/validate';
import { REVIEWER_DECIDE } from '../../../cards/verbs';
import { fixedClock } from '../../../bot/clock';
import { ConversationStore } from '../../../bot/conversations';
import { ProactiveSendError } from '../../../bot/proactive/connectorFailure';
import { nudgeKey, Nudger, nudgesDue, NUDGE_EVERY_MS, type NudgeRecord } from '../../../bot/reviewing/nudges';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { blockTexts, nodes } from '../../cards/cardNodes';
import { APP, IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { capturingLogger, TENANT, turnIn } from '../proactive/support';

/**
 * Reviewer nudges (issue 13, item 5): read with the app identity only; one start card per contacted reviewer with a
 * personal chat, once per run across passes and replicas sharing a store; a reminder at two days left while items
 * are undecided; reviewers without a chat counted in the log, never messaged.
 */
const DAY = 86_400_000;
const START = Date.parse('2026-12-01T09:00:00Z');
const END = START + 11 * DAY; // Saturday 12 December 2026, 09:00
const REVIEW = '6f1d7e1c-0d6b-4c4e-9d4e-2f6a3b9c1a21';
const RUN = 'run-1';
const guestScope = {
  '@odata.type': '#microsoft.graph.accessReviewQueryScope', queryType: 'MicrosoftGraph',
  query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`,
};

function tenantWithRun(status = 'InProgress', undecided = 2): FakeTenant {
  const t = smallTenant();
  t.definitions.push({ id: REVIEW, displayName: 'Sales Team guest review', status, scope: guestScope, settings: {}, descriptionForReviewers: 'Do these guests still need access?' });
  t.runs.push({
    definitionId: REVIEW, id: RUN, status, startDateTime: new Date(START).toISOString(), endDateTime: new Date(END).toISOString(),
    items: [{ principalId: IDS.guestA, decision: undecided > 0 ? 'NotReviewed' : 'Approve' }, { principalId: IDS.guestB, decision: undecided > 1 ? 'NotReviewed' : 'Deny' }],
  });
  t.contacted.set(RUN, [{ id: IDS.megan, displayName: 'Megan Bowen' }, { id: IDS.alex, displayName: 'Alex Wilber' }, { id: IDS.adele, displayName: 'Adele Vance' }]);
  return t;
}

const personalChat = (userId: string): Partial<Activity> => ({
  type: 'message', id: 'm-1', channelId: 'msteams', serviceUrl: 'https://smba.example.test/emea/',
  from: { id: `29:${userId}`, name: userId, aadObjectId: userId }, recipient: { id: '28:bot', name: 'Bot' },
  conversation: { id: `a:chat-${userId}`, conversationType: 'personal', isGroup: false, tenantId: TENANT, name: '' },
  channelData: { tenant: { id: TENANT } },
});

interface Post { conversationId: string; activity: Partial<Activity> }

/** One store, one tenant, and as many "replicas" (Nudgers, each with its own sender record) as asked. */
async function world(options: { tenant?: FakeTenant; chats?: string[]; at?: number } = {}) {
  const storage = new SqliteStorage(':memory:');
  const clock = fixedClock(options.at ?? START + DAY);
  const tenant = options.tenant ?? tenantWithRun();
  const conversations = new ConversationStore(storage, clock);
  for (const user of options.chats ?? [IDS.megan, IDS.alex]) await conversations.remember(turnIn(personalChat(user)), 'personal');
  const { log, lines } = capturingLogger();
  const posts: Post[] = [];
  let fail: ((conversationId: string) => Error | undefined) | undefined;
  const sender = {
    post: async (conversationId: string, activity: Partial<Activity>): Promise<{ activityId: string }> => {
      // Some real time per post, so two replicas' passes interleave.
      await new Promise((resolve) => setImmediate(resolve));
      const error = fail?.(conversationId);
      if (error !== undefined) throw error;
      posts.push({ conversationId, activity });
      return { activityId: `p-${posts.length}` };
    },
  };
  const replica = (holder: string): Nudger => new Nudger({ appGraph: tenant.forApp(), store: storage, conversations, sender, clock, log, holder });
  return { storage, clock, tenant, posts, lines, replica, failWith: (f: typeof fail) => { fail = f; } };
}

const cardOf = (post: Post): Record<string, unknown> => (post.activity.attachments?.[0]?.content ?? {}) as Record<string, unknown>;
const startButtons = (card: unknown) => nodes(card).filter((node) => node.type === 'Action.Execute');

describe('nudgesDue', () => {
  const run = { id: 'r', status: 'InProgress', startDateTime: new Date(START).toISOString(), endDateTime: new Date(END).toISOString() };
  it.each([
    ['before the start', START - 1, []],
    ['at the start', START, ['start']],
    ['7 days after the start', START + 7 * DAY, ['start']],
    ['8 days after the start', START + 8 * DAY, []],
    ['2 days before the end', END - 2 * DAY, ['reminder']],
    ['an hour before the end', END - 3_600_000, ['reminder']],
    ['after the end', END + 1, []],
  ])('%s', (_name, now, kinds) => {
    expect(nudgesDue(run, now)).toEqual(kinds);
  });
  it('nothing for a run that is not InProgress, and no reminder for a run that lasts two days or less', () => {
    expect(nudgesDue({ ...run, status: 'Completed' }, START + DAY)).toEqual([]);
    expect(nudgesDue({ ...run, status: 'NotStarted' }, START + DAY)).toEqual([]);
    expect(nudgesDue({ ...run, endDateTime: new Date(START + 2 * DAY).toISOString() }, START + DAY)).toEqual(['start']);
  });
});

describe('Nudger', () => {
  it('sends each contacted reviewer with a personal chat one start card, over many passes and two replicas on one store', async () => {
    const w = await world();
    const [a, b] = [w.replica('A'), w.replica('B')];
    for (let pass = 0; pass < 5; pass++) {
      await Promise.all([a.pass(), b.pass()]);
      w.clock.advance(NUDGE_EVERY_MS);
    }
    // A fresh process on the same store (a restart) sends nothing again.
    await w.replica('C').pass();
    expect(w.posts.map((post) => post.conversationId).sort()).toEqual([`a:chat-${IDS.alex}`, `a:chat-${IDS.megan}`].sort());
    const megan = w.posts.find((post) => post.conversationId === `a:chat-${IDS.megan}`) as Post;
    expect(blockTexts(cardOf(megan))).toEqual(expect.arrayContaining([
      '2 items to review for Sales Team guest review, due Saturday 12 December 2026', 'Guests of Sales Team · 10 days left', 'Do these guests still need access?',
    ]));
    expect(megan.activity.summary).toBe('2 items to review for Sales Team guest review, due Saturday 12 December 2026');
    const [button] = startButtons(cardOf(megan));
    expect(button).toMatchObject({ title: 'Start', verb: REVIEWER_DECIDE, data: { verb: REVIEWER_DECIDE, args: `@${REVIEW}/${RUN} undecided 0`, for: IDS.megan, open: 'below' } });
    const record = (await w.storage.read([nudgeKey(RUN, 'start', IDS.megan)]))[nudgeKey(RUN, 'start', IDS.megan)] as NudgeRecord;
    expect(record).toMatchObject({ outcome: 'posted', kind: 'start', reviewerId: IDS.megan, instanceId: RUN });
    // The app identity only, and reads only.
    expect(w.tenant.calls.every((call) => call.as === APP)).toBe(true);
    expect(new Set(w.tenant.methods())).toEqual(new Set(['allDefinitions', 'instancesOf', 'contactedReviewers', 'countInstanceDecisions', 'getDefinition', 'groupNames']));
  });

  it('does not message a reviewer without a personal chat: counts them in one log line, then nudges them once they open one', async () => {
    const w = await world({ chats: [IDS.megan] });
    const nudger = w.replica('A');
    await nudger.pass();
    await nudger.pass();
    expect(w.posts.map((post) => post.conversationId)).toEqual([`a:chat-${IDS.megan}`]);
    const counted = w.lines.filter((line) => String(line.msg).endsWith('contacted reviewers have no personal chat with the bot: not messaged'));
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ msg: '2 contacted reviewers have no personal chat with the bot: not messaged', count: 2, instanceId: RUN, kind: 'start',
      reviewerIds: [IDS.adele, IDS.alex].sort() });
    expect(JSON.stringify(counted[0])).not.toMatch(/Adele|Alex/);
    expect(await w.storage.read([nudgeKey(RUN, 'start', IDS.alex)])).toEqual({});

    await new ConversationStore(w.storage, w.clock).remember(turnIn(personalChat(IDS.alex)), 'personal');
    await nudger.pass();
    expect(w.posts.map((post) => post.conversationId)).toEqual([`a:chat-${IDS.megan}`, `a:chat-${IDS.alex}`]);
  });

  it('reminds at two days left only while items are undecided, once', async () => {
    const none = await world({ tenant: tenantWithRun('InProgress', 0), at: END - DAY });
    await none.replica('A').pass();
    expect(none.posts).toEqual([]);

    const w = await world({ at: END - 3 * DAY });
    const nudger = w.replica('A');
    await nudger.pass();
    expect(w.posts).toEqual([]); // 3 days left, started 8 days ago: neither kind
    w.clock.set(END - 2 * DAY);
    await nudger.pass();
    await w.replica('B').pass();
    expect(w.posts).toHaveLength(2);
    expect(blockTexts(cardOf(w.posts[0]))).toEqual(expect.arrayContaining([
      '2 days left: Sales Team guest review ends Saturday 12 December 2026', 'Guests of Sales Team · 2 items still undecided',
    ]));
    expect(startButtons(cardOf(w.posts[0]))[0]).toMatchObject({ title: 'Decide now' });
  });

  it('sends nothing for an ended run (Completed, or past its end) and reads nothing with a user identity', async () => {
    for (const w of [await world({ tenant: tenantWithRun('Completed') }), await world({ at: END + DAY })]) {
      await w.replica('A').pass();
      expect(w.posts).toEqual([]);
      expect(w.tenant.calls.every((call) => call.as === APP)).toBe(true);
      expect(w.tenant.methods()).not.toContain('contactedReviewers');
    }
  });

  it('keeps the claim of a post that failed (chat suspended): logged, never retried', async () => {
    const w = await world();
    w.failWith((conversationId) => (conversationId === `a:chat-${IDS.megan}` ? new ProactiveSendError('suspended', conversationId, { status: 403 }) : undefined));
    const nudger = w.replica('A');
    await nudger.pass();
    w.failWith(undefined);
    await nudger.pass();
    await w.replica('B').pass();
    expect(w.posts.map((post) => post.conversationId)).toEqual([`a:chat-${IDS.alex}`]);
    const key = nudgeKey(RUN, 'start', IDS.megan);
    expect((await w.storage.read([key]))[key]).toMatchObject({ outcome: 'failed', reason: 'suspended' });
    expect(w.lines.filter((line) => line.msg === 'nudge not posted; not retried')).toHaveLength(1);
  });

  it('takes over a claim whose holder died before settling it, once it has expired', async () => {
    const w = await world({ chats: [IDS.megan] });
    const key = nudgeKey(RUN, 'start', IDS.megan);
    await w.storage.writeIfAbsent(key, { definitionId: REVIEW, instanceId: RUN, kind: 'start', reviewerId: IDS.megan, holder: 'dead', token: 't', claimedAt: '', expiresAt: w.clock.now() + 60_000 });
    await w.replica('A').pass();
    expect(w.posts).toEqual([]);
    w.clock.advance(60_001);
    await w.replica('A').pass();
    expect(w.posts).toHaveLength(1);
    expect((await w.storage.read([key]))[key]).toMatchObject({ outcome: 'posted' });
  });

  it('ticks a pass only once its interval has gone by on the clock (none at start-up)', async () => {
    const w = await world();
    const nudger = w.replica('A');
    expect(await nudger.tick()).toBeUndefined();
    w.clock.advance(NUDGE_EVERY_MS);
    expect(await nudger.tick()).toHaveLength(3); // two posted, one line of unreachable reviewers
    expect(await nudger.tick()).toBeUndefined();
  });
});

describe('the nudge card', () => {
  const data: NudgeCardData = {
    kind: 'start', reviewName: 'Sales Team guest review', reviewed: 'Guests of Sales Team', due: 'Friday 11 December 2026', timeLeft: '7 days left',
    undecided: 1, undecidedComplete: true, description: '', owner: IDS.megan, args: `@${REVIEW}/${RUN} undecided 0`,
  };
  const HOSTILE = 'Sales ${x} {{DATE(2024-01-01T00:00:00Z, SHORT)}} '.padEnd(30_000, 'L');

  it.each([
    ['start', data],
    ['reminder, more than 1000', { ...data, kind: 'reminder' as const, undecided: 1000, undecidedComplete: false, description: 'Why?' }],
    ['hostile, long', { ...data, reviewName: HOSTILE, reviewed: HOSTILE, due: HOSTILE, timeLeft: HOSTILE, description: HOSTILE }],
  ])('%s: valid, version 1.5, no binding left, within 28 KB', (_name, card) => {
    const rendered = renderNudgeCard(card);
    expect(validateCard(rendered)).toEqual([]);
    expect(rendered.version).toBe('1.5');
    expect(JSON.stringify(rendered)).not.toContain('${');
    expect(Buffer.byteLength(JSON.stringify(rendered), 'utf8')).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const [execute] = startButtons(rendered);
    expect(execute?.fallback).toMatchObject({ type: 'Action.Submit', data: { verb: REVIEWER_DECIDE, for: IDS.megan } });
  });

  it('words: one item, more than N', () => {
    expect(blockTexts(renderNudgeCard(data))[0]).toBe('1 item to review for Sales Team guest review, due Friday 11 December 2026');
    expect(blockTexts(renderNudgeCard({ ...data, kind: 'reminder', timeLeft: '2 days left', undecided: 1000, undecidedComplete: false })).slice(0, 2))
      .toEqual(['2 days left: Sales Team guest review ends Friday 11 December 2026', 'Guests of Sales Team · more than 1,000 items still undecided']);
  });
});
