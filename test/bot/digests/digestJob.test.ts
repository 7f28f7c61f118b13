import type { Activity } from 'botbuilder';
import { fixedClock } from '../../../bot/clock';
import { digestJob } from '../../../bot/digests/digestJob';
import type { Subscription } from '../../../bot/digests/subscriptions';
import { createLogger } from '../../../bot/logger';
import { ProactiveSendError } from '../../../bot/proactive/connectorFailure';
import { blockTexts } from '../../cards/cardNodes';
import { APP, IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';

/**
 * One scheduled digest (issue 12, item 3): read with the app identity only, the team group's reviews only, posted
 * once and then updated in place; a deleted card is posted again; an ended review gets its final card.
 */
const NOW = Date.parse('2025-06-02T09:00:00Z');
const REVIEW = '6f1d7e1c-0d6b-4c4e-9d4e-2f6a3b9c1a21';
const period = { key: '2025-06-02', dueAt: new Date(NOW) };
const scope = { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' };

function tenant(status = 'InProgress'): FakeTenant {
  const t = smallTenant(() => NOW);
  t.definitions.push({ id: REVIEW, displayName: 'Sales Team guests', status, scope, settings: {} });
  t.runs.push({ definitionId: REVIEW, id: 'run', status, startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z',
    items: [{ principalId: IDS.guestA, decision: 'Approve' }, { principalId: IDS.guestB, decision: 'NotReviewed' }] });
  return t;
}

const subscription = (target: Subscription['target']): Subscription => ({
  id: 's-1', conversationId: '19:general@thread.tacv2', teamId: '19:general@thread.tacv2', groupId: IDS.sales, target,
  cadence: { every: 'week', weekday: 1, time: '09:00', timeZone: 'Etc/UTC' }, createdBy: { id: IDS.adele, name: 'Adele Vance' }, createdAt: '2025-05-30T10:00:00Z',
});

function sender(options: { gone?: boolean } = {}): { posts: Array<Partial<Activity>>; updates: Array<[string, Partial<Activity>]>; post: (id: string, a: Partial<Activity>) => Promise<{ activityId: string }>; update: (id: string, activityId: string, a: Partial<Activity>) => Promise<void> } {
  const posts: Array<Partial<Activity>> = [];
  const updates: Array<[string, Partial<Activity>]> = [];
  return {
    posts, updates,
    post: (_id, activity) => { posts.push(activity); return Promise.resolve({ activityId: `a-${posts.length}` }); },
    update: (id, activityId, activity) => {
      if (options.gone === true) return Promise.reject(new ProactiveSendError('messageGone', id));
      updates.push([activityId, activity]);
      return Promise.resolve();
    },
  };
}

/** The subscription store's record of final cards, as the job calls it. */
function marks(): { marked: Array<[string, string]>; markFinalRun: (id: string, runId: string) => Promise<boolean> } {
  const marked: Array<[string, string]> = [];
  return { marked, markFinalRun: (id, runId) => { marked.push([id, runId]); return Promise.resolve(true); } };
}

const cardTexts = (activity: Partial<Activity> | undefined): string[] => blockTexts(activity?.attachments?.[0]?.content);
const log = createLogger('silent');

test('all: the digest of the team group\'s reviews, posted, then updated in place; every Graph call as the app', async () => {
  const t = tenant();
  const out = sender();
  const job = digestJob({ appGraph: t.forApp(), sender: out, subscriptions: marks(), clock: fixedClock(NOW), log });
  expect(await job.run(subscription({ kind: 'all' }), period, {})).toEqual({ activityId: 'a-1', finished: false });
  expect(cardTexts(out.posts[0])).toEqual(expect.arrayContaining(["Active access reviews of this team's group", 'Sales Team guests', '1 of 2 reviewed (50%)']));
  expect(await job.run(subscription({ kind: 'all' }), period, { activityId: 'a-1' })).toEqual({ activityId: 'a-1', finished: false });
  expect(out.updates.map(([id]) => id)).toEqual(['a-1']);
  expect(out.posts).toHaveLength(1);
  expect(t.calls.find((call) => call.method === 'listDefinitions')?.args).toEqual(['active', 500, IDS.sales]);
  expect(new Set(t.calls.map((call) => call.as))).toEqual(new Set([APP]));
});

test('a card deleted since is posted again; a subscription without its team group posts nothing', async () => {
  const t = tenant();
  const out = sender({ gone: true });
  const job = digestJob({ appGraph: t.forApp(), sender: out, subscriptions: marks(), clock: fixedClock(NOW), log });
  expect(await job.run(subscription({ kind: 'all' }), period, { activityId: 'a-old' })).toEqual({ activityId: 'a-1', finished: false });
  const { groupId: _groupId, ...withoutGroup } = subscription({ kind: 'all' });
  await expect(job.run(withoutGroup, period, {})).rejects.toThrow(/no team group/);
  expect(out.posts).toHaveLength(1);
});

test('one review: its summary card; once the review has ended, the final card and finished; once deleted, one line', async () => {
  const out = sender();
  const running = digestJob({ appGraph: tenant().forApp(), sender: out, subscriptions: marks(), clock: fixedClock(NOW), log });
  const target = { kind: 'review' as const, definitionId: REVIEW, name: 'Sales Team guests' };
  expect(await running.run(subscription(target), period, {})).toEqual({ activityId: 'a-1', finished: false });
  expect(cardTexts(out.posts[0])).toEqual(expect.arrayContaining(['Sales Team guests', '1 of 2 reviewed (50%)']));
  const ended = digestJob({ appGraph: tenant('Completed').forApp(), sender: out, subscriptions: marks(), clock: fixedClock(NOW), log });
  expect(await ended.run(subscription(target), period, {})).toEqual({ activityId: 'a-2', finished: true });
  const empty = smallTenant(() => NOW);
  const gone = digestJob({ appGraph: empty.forApp(), sender: out, subscriptions: marks(), clock: fixedClock(NOW), log });
  expect(await gone.run(subscription(target), period, {})).toEqual({ activityId: 'a-3', finished: true });
  expect(out.posts[2]?.text).toBe('The review "Sales Team guests" no longer exists, so this channel\'s digest of it ends.');
});

test('a recurring review between runs: the ended run\'s final card once (recorded), then quiet periods until the next run', async () => {
  const t = tenant();
  const run = t.runs[0];
  if (run) run.status = 'Completed';
  const out = sender();
  const store = marks();
  const job = digestJob({ appGraph: t.forApp(), sender: out, subscriptions: store, clock: fixedClock(NOW), log });
  const target = { kind: 'review' as const, definitionId: REVIEW, name: 'Sales Team guests' };
  // The series goes on (the definition is in progress), its run has ended: the final card, and the run recorded.
  expect(await job.run(subscription(target), period, {})).toEqual({ activityId: 'a-1', finished: false });
  expect(store.marked).toEqual([['s-1', 'run']]);
  expect(cardTexts(out.posts[0])).toEqual(expect.arrayContaining(['Sales Team guests', '1 of 2 reviewed (50%)']));
  // A later period, the final card out: nothing posted.
  expect(await job.run({ ...subscription(target), finalRunId: 'run' }, period, {})).toEqual({ quiet: true });
  expect(out.posts).toHaveLength(1);
  // The next run starts: digests again.
  t.runs.push({ definitionId: REVIEW, id: 'run-2', status: 'InProgress', startDateTime: '2025-09-01T08:00:00Z', endDateTime: '2025-09-15T08:00:00Z', items: [] });
  expect(await job.run({ ...subscription(target), finalRunId: 'run' }, period, {})).toEqual({ activityId: 'a-2', finished: false });
});
