import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock } from '../../bot/clock';
import { ConversationStore } from '../../bot/conversations';
import { runKey, type RunRecord } from '../../bot/digests/leases';
import { periodAt } from '../../bot/digests/schedule';
import { SubscriptionStore, type Subscription } from '../../bot/digests/subscriptions';
import { BlobKeyValueStore } from '../../bot/storage/blobStorage';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import { dayOf } from '../../reviews/describeDefinition';
import { blockTexts as texts } from '../cards/cardNodes';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBot, type BotProcess } from '../support/botProcess';
import { control, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { SALES_TEAM, TeamsClient, USERS, type Scope, type SentActivity } from '../support/teamsClient';

/**
 * Issue 12, item 6, with whole bots: two processes of bot/index.ts, each with its own digest scheduler, share one
 * Azure Blob Storage container (Azurite), one local tenant and one simulated Teams (the connector both post to, from
 * the conversation reference bot A stored). Over 20 daily periods every subscription's digest is posted exactly once
 * per period, by whichever process wins the period's lease; a process SIGKILLed while it holds a lease (its job hung
 * in Graph) leaves the period alone until the lease expires on the shared clock, then the other process posts it once.
 */

jest.setTimeout(150_000);

const CHANNEL_ID = SALES_TEAM.channels[0]?.id ?? '';
const CHANNEL: Scope = { kind: 'channel', teamId: SALES_TEAM.id, channelId: CHANNEL_ID };
const DIGEST_TITLE = "Active access reviews of this team's group";
const EMPTY_DIGEST = "No active access review of this team's group.";
const REVIEW = 'Sales Team guest review';
const PERIODS = 20;
type Name = 'A' | 'B';
const NAMES: readonly Name[] = ['A', 'B'];

let azurite: Azurite | undefined;
let tenant: LocalTenant | undefined;
const bots = {} as Record<Name, BotProcess>;
let teams: TeamsClient | undefined;
let store: BlobKeyValueStore;

beforeAll(async () => {
  [azurite, tenant] = await Promise.all([startAzurite(), startLocalTenant()]);
  const container = `digest-replicas-${randomUUID().slice(0, 8)}`;
  const env = { SSO_MODE: 'local', STORAGE_CONNECTION_STRING: azurite.connectionString, STORAGE_CONTAINER: container };
  // One after the other, as the other Blob Storage tests do (both create the container on their first write).
  bots.A = await startBot(tenant, { env });
  bots.B = await startBot(tenant, { env });
  teams = await TeamsClient.start({ botUrl: bots.A.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
  store = new BlobKeyValueStore(azurite.connectionString, container);
}, 60_000);

afterAll(async () => {
  // A Graph request of the killed holder may still sleep in the emulator: faults off, then everything is killed
  // (a graceful stop would wait for a hung digest job).
  if (tenant !== undefined) await control(tenant, 'PUT', '/faults', {}).catch(() => undefined);
  await teams?.stop();
  await Promise.all(NAMES.map((name) => bots[name]?.stop('SIGKILL')));
  await tenant?.dispose();
  await azurite?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function waitUntil<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${explain()}`);
    await sleep(50);
  }
}

/** What the bots and the connector did last, for a timeout's message. */
function explain(): string {
  const tail = NAMES.map((name) => `bot ${name} (pid ${String(bots[name].pid)}), last lines:\n${bots[name].lines.slice(-8).join('\n')}`);
  const calls = (teams?.calls ?? []).slice(-6).map((call) => `${call.method} ${call.path} → ${call.status}`);
  return [...tail, `connector calls: ${calls.join('; ') || 'none'}`].join('\n');
}

function client(): TeamsClient {
  if (teams === undefined) throw new Error('no Teams client');
  return teams;
}

function localTenant(): LocalTenant {
  if (tenant === undefined) throw new Error('no local tenant');
  return tenant;
}

async function say(text: string): Promise<string> {
  const t = client();
  t.clear();
  await t.message(USERS.adele, text, CHANNEL);
  const sent = await t.waitFor(() => t.sent.find((s) => typeof s.activity.text === 'string'), 20_000);
  return String(sent.activity.text);
}

/** Moves the tenant's clock (and so both bots'); resolves with the tenant's new time. */
async function moveClock(body: { advance: string } | { now: string }): Promise<Date> {
  const moved = await control(localTenant(), 'POST', '/clock', body);
  expect(moved.status).toBe(200);
  return new Date((moved.body as { now: string }).now);
}

/** What the job logs for a period with nothing to post (a recurring review between runs, its final card out). */
const QUIET = 'digest: the run ended and its final card is out; quiet until the next run';

/** A `digest posted` (or `digest refreshed in place`, or quiet) log line of one bot process. */
interface JobLine { bot: Name; msg: string; subscriptionId: string; period: string; finished: boolean }

/** The digest job's log lines of both processes (each process's `lines`, parsed once). */
const parsed: Record<Name, { upTo: number; jobs: JobLine[] }> = { A: { upTo: 0, jobs: [] }, B: { upTo: 0, jobs: [] } };
function jobLines(): JobLine[] {
  for (const name of NAMES) {
    const seen = parsed[name];
    const { lines } = bots[name];
    for (; seen.upTo < lines.length; seen.upTo++) {
      let record: Partial<JobLine>;
      try {
        record = JSON.parse(lines[seen.upTo] ?? '') as Partial<JobLine>;
      } catch {
        continue;
      }
      if (record.msg === 'digest posted' || record.msg === 'digest refreshed in place' || record.msg === QUIET) {
        seen.jobs.push({ bot: name, msg: record.msg, subscriptionId: String(record.subscriptionId), period: String(record.period), finished: record.finished === true });
      }
    }
  }
  return [...parsed.A.jobs, ...parsed.B.jobs];
}
const postedBy = (subscriptionId: string, period: string): JobLine[] =>
  jobLines().filter((line) => line.msg === 'digest posted' && line.subscriptionId === subscriptionId && line.period === period);
/** The job ran for this subscription and period: posted, or quiet. */
const ranFor = (subscriptionId: string, period: string): boolean =>
  jobLines().some((line) => (line.msg === 'digest posted' || line.msg === QUIET) && line.subscriptionId === subscriptionId && line.period === period);

/** New messages the bot posted into the channel (not updates) since the Teams client was last cleared. */
const channelPosts = (): SentActivity[] =>
  client().activities.filter((s) => s.kind !== 'update' && s.conversationId.split(';')[0] === CHANNEL_ID);
const isDigest = (s: SentActivity): boolean => texts(s.activity).includes(DIGEST_TITLE);
const isReviewCard = (s: SentActivity): boolean => !isDigest(s) && texts(s.activity).includes(REVIEW);

const record = async (subscriptionId: string, period: string): Promise<RunRecord | undefined> => {
  const key = runKey(subscriptionId, period);
  return (await store.read([key]))[key] as RunRecord | undefined;
};

async function healthy(name: Name): Promise<boolean> {
  const response = await fetch(`${bots[name].url}/healthz`).catch(() => undefined);
  return response?.status === 200;
}

let all: Subscription;
let review: Subscription | undefined;
function reviewSubscription(): Subscription {
  if (review === undefined) throw new Error('no review subscription');
  return review;
}

test('a conversation reference bot A keeps is in Blob storage for bot B; two channel subscriptions through A', async () => {
  // A fixed time of day (12:00 UTC, tomorrow on the tenant's clock): every later day starts a new 09:00 period, and
  // six more minutes stay inside it, whenever the test runs.
  const current = new Date(((await control(localTenant(), 'GET', '/clock')).body as { now: string }).now);
  const noon = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth(), current.getUTCDate() + 1, 12));
  expect((await moveClock({ now: noon.toISOString() })).getTime()).toBeGreaterThanOrEqual(noon.getTime());

  expect(await say('subscribe all daily at 09:00')).toMatch(/^Subscribed: this channel gets a digest of all reviews every day at 09:00 \(Etc\/UTC\)/);
  expect(await say(`subscribe "${REVIEW}" daily at 09:00`)).toMatch(/^Subscribed: /);

  // What A stored is what B posts with: the channel's reference, pointing at this Teams client's connector.
  const stored = await new ConversationStore(store, systemClock).get(CHANNEL_ID);
  expect(stored?.reference.serviceUrl).toBe(client().serviceUrl);
  expect(stored?.reference.conversation?.id).toBe(CHANNEL_ID);
  expect(stored?.teamId).toBe(SALES_TEAM.id);
  expect(stored?.suspended).toBeUndefined();

  const subscriptions = await new SubscriptionStore(store, systemClock).listAll();
  expect(subscriptions.map((s) => s.target.kind).sort()).toEqual(['all', 'review']);
  all = subscriptions.find((s) => s.target.kind === 'all') as Subscription;
  review = subscriptions.find((s) => s.target.kind === 'review');
  expect(all.conversationId).toBe(CHANNEL_ID);
});

test(`${PERIODS} periods: exactly one post per subscription per period, split between the two processes`, async () => {
  const t = client();
  t.clear();
  const subscriptions = [all, reviewSubscription()];
  const periods: string[] = [];
  for (let i = 0; i < PERIODS; i++) {
    const now = await moveClock({ advance: 'P1D' });
    const period = periodAt(all.cadence, now).key;
    periods.push(period);
    await waitUntil(`the digests of period ${period}`, () => subscriptions.every((s) => ranFor(s.id, period)), 20_000);
  }
  // Both processes keep ticking (every 2 s): a late duplicate would show now.
  await sleep(5_000);
  await waitUntil('the connector to record every post', () => channelPosts().length >= jobLines().filter((line) => line.msg === 'digest posted').length, 5_000);

  const lines = jobLines();
  const key = (line: JobLine): string => `${line.subscriptionId}/${line.period}`;
  const posted = lines.filter((line) => line.msg === 'digest posted');
  // Never refreshed (the clock moves a day at a time, a refresh is due an hour after the post) and never updated.
  expect(lines.filter((line) => line.msg !== 'digest posted' && line.msg !== QUIET)).toEqual([]);
  expect(t.updates).toEqual([]);

  // The digest of all: one post every period, in period order.
  const posts = channelPosts();
  expect(new Set(posts.map((s) => s.id)).size).toBe(posts.length);
  expect(posts).toHaveLength(posted.length);
  const digests = posts.filter(isDigest);
  expect(posted.filter((line) => line.subscriptionId === all.id).map(key).sort()).toEqual(periods.map((p) => `${all.id}/${p}`).sort());
  expect(digests.map((s) => /^Updated (.+) at \d\d:\d\d UTC\./.exec(texts(s.activity).at(-1) ?? '')?.[1])).toEqual(periods.map(dayOf));
  expect(digests.every((s) => !texts(s.activity).includes(EMPTY_DIGEST))).toBe(true);

  // The Sales Team guest review's run (21 days, started 5 days before the tenant was seeded) ends within these 20
  // days. The review is a quarterly series whose definition stays InProgress between runs (as in Graph): its card
  // comes every period while the run is in progress, then once more with the ended run's results, then the periods
  // are quiet until the next run; the subscription stays.
  const cards = posts.filter(isReviewCard);
  const statusOf = (s: SentActivity): string | undefined => {
    const words = texts(s.activity);
    return words[words.indexOf('Status') + 1];
  };
  const last = cards.length - 1;
  expect(last).toBeGreaterThan(0);
  expect(last).toBeLessThan(PERIODS - 1);
  expect(cards.map(statusOf)).toEqual(cards.map((_, i) => (i < last ? 'In progress' : 'Completed')));
  const reviewId = reviewSubscription().id;
  expect(posted.filter((line) => line.subscriptionId === reviewId).map(key).sort()).toEqual(periods.slice(0, last + 1).map((p) => `${reviewId}/${p}`).sort());
  expect(lines.filter((line) => line.msg === QUIET).map(key).sort()).toEqual(periods.slice(last + 1).map((p) => `${reviewId}/${p}`).sort());
  expect(cards.map((s) => /^Updated (.+) at \d\d:\d\d UTC\./.exec(texts(s.activity).at(-1) ?? '')?.[1])).toEqual(periods.slice(0, last + 1).map(dayOf));
  expect(lines.filter((line) => line.finished)).toEqual([]);
  expect((await new SubscriptionStore(store, systemClock).listAll()).map((s) => s.id).sort()).toEqual(subscriptions.map((s) => s.id).sort());
  const firstCompleted = last;

  // For the report: how the work was split between the processes.
  const split = { A: lines.filter((line) => line.bot === 'A').length, B: lines.filter((line) => line.bot === 'B').length };
  process.stdout.write(`digestReplicas: posts by process ${JSON.stringify(split)} over ${periods[0] ?? ''}..${periods.at(-1) ?? ''}; `
    + `review run Completed from ${periods[firstCompleted] ?? '?'}\n`);
  expect(await healthy('A')).toBe(true);
  expect(await healthy('B')).toBe(true);
});

test('SIGKILL the lease holder mid-period: the other process posts that period once, only after the lease expired', async () => {
  // One subscription left, so one job hangs and one lease is in play.
  expect(await say(`unsubscribe "${REVIEW}"`)).toMatch(/^Unsubscribed/);
  expect((await new SubscriptionStore(store, systemClock).listAll()).map((s) => s.id)).toEqual([all.id]);
  const t = client();
  t.clear();
  // The job hangs in Graph: every /v1.0 request waits a minute (the emulator's maximum latency).
  expect((await control(localTenant(), 'PUT', '/faults', { latencyMs: 60_000 })).status).toBe(200);
  const now = await moveClock({ advance: 'P1D' });
  const period = periodAt(all.cadence, now).key;

  const lease = await waitUntil(`a lease on ${period}`, async () => (await record(all.id, period))?.lease, 15_000);
  const holder = NAMES.find((name) => lease.holder.endsWith(`:${String(bots[name].pid)}`));
  if (holder === undefined) throw new Error(`lease holder ${lease.holder} is neither bot (${String(bots.A.pid)}, ${String(bots.B.pid)})`);
  expect(lease.holder).toBe(`${hostname()}:${String(bots[holder].pid)}`);
  const survivor: Name = holder === 'A' ? 'B' : 'A';
  process.stdout.write(`digestReplicas: ${period} leased by ${holder} (${lease.holder}), SIGKILLed; ${survivor} survives\n`);
  await bots[holder].stop('SIGKILL');
  expect((await control(localTenant(), 'PUT', '/faults', {})).status).toBe(200);

  // Graph answers at once again, but the lease is live on the shared clock: the survivor leaves the period alone.
  await sleep(5_000);
  expect(channelPosts()).toEqual([]);
  expect(postedBy(all.id, period)).toEqual([]);
  expect((await record(all.id, period))?.lease?.token).toBe(lease.token);

  // Past the 5-minute lease, still the same daily period: the survivor takes it over and posts once.
  const later = await moveClock({ advance: 'PT6M' });
  expect(periodAt(all.cadence, later).key).toBe(period);
  await waitUntil('the survivor to post the period', () => channelPosts().length > 0 && postedBy(all.id, period).length > 0, 20_000);
  await sleep(4_000);
  expect(channelPosts()).toHaveLength(1);
  expect(channelPosts().filter(isDigest)).toHaveLength(1);
  expect(postedBy(all.id, period).map((line) => line.bot)).toEqual([survivor]);
  const done = await record(all.id, period);
  expect(done?.lease).toBeUndefined();
  expect(done?.activityId).toBe(channelPosts()[0]?.id);

  // The survivor carries on alone: the next period once.
  const next = periodAt(all.cadence, await moveClock({ advance: 'P1D' })).key;
  await waitUntil(`the survivor to post ${next}`, () => postedBy(all.id, next).length > 0, 20_000);
  await sleep(3_000);
  expect(postedBy(all.id, next).map((line) => line.bot)).toEqual([survivor]);
  expect(channelPosts().filter(isDigest)).toHaveLength(2);
  expect(await healthy(survivor)).toBe(true);
});
