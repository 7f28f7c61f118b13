import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../../bot/clock';
import { RunLeases } from '../../../bot/digests/leases';
import { nextDue, periodAt, type Cadence, type Period } from '../../../bot/digests/schedule';
import { DigestScheduler, planRun, type DigestJob, type DigestSchedulerOptions, type TickRun } from '../../../bot/digests/scheduler';
import { SubscriptionStore, type NewSubscription, type Subscription } from '../../../bot/digests/subscriptions';
import { createLogger } from '../../../bot/logger';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEASE_MS = 5 * 60_000;
const TICK_MS = 15 * 60_000;
// Monday 16 March 2026, 10:00 in Paris: the weeks after it cross the change to summer time (29 March).
const START = Date.UTC(2026, 2, 16, 9);
const WEEKLY_PARIS: Cadence = { every: 'week', weekday: 1, time: '09:00', timeZone: 'Europe/Paris' };

interface Call {
  subscriptionId: string;
  period: Period;
  previous: { activityId?: string };
  at: number;
}

/** A job that records its calls and answers with an activity id per post (same id on refresh), or fails on demand. */
class RecordingJob implements DigestJob {
  readonly calls: Call[] = [];
  failNext = 0;
  /** Subscriptions whose next run reports the review finished. */
  readonly finishFor = new Set<string>();
  /** Subscriptions whose runs have nothing to post (a recurring review between runs). */
  readonly quietFor = new Set<string>();
  private posted = 0;
  constructor(private readonly clock: { now(): number }) {}
  run(subscription: Subscription, period: Period, previous: { activityId?: string }): Promise<{ activityId: string; finished?: boolean } | { quiet: true }> {
    this.calls.push({ subscriptionId: subscription.id, period, previous, at: this.clock.now() });
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(new Error('Graph is busy'));
    }
    if (this.quietFor.has(subscription.id)) return Promise.resolve({ quiet: true });
    const finished = this.finishFor.delete(subscription.id);
    return Promise.resolve({ activityId: previous.activityId ?? `activity-${++this.posted}`, finished });
  }
}

const request = (overrides: Partial<NewSubscription> = {}): NewSubscription => ({
  conversationId: '19:general@thread.tacv2',
  teamId: '19:team@thread.tacv2',
  target: { kind: 'review', definitionId: 'def-1', name: 'Guests of Sales' },
  cadence: WEEKLY_PARIS,
  createdBy: { id: 'aad-adele', name: 'Adele Vance' },
  ...overrides,
});

interface World {
  clock: ReturnType<typeof fixedClock>;
  store: SqliteStorage;
  subscriptions: SubscriptionStore;
  job: RecordingJob;
  scheduler: (options?: DigestSchedulerOptions, holder?: string, job?: DigestJob) => DigestScheduler;
}

function world(file = ':memory:'): World {
  const clock = fixedClock(START);
  const store = new SqliteStorage(file, { now: () => clock.now() });
  const subscriptions = new SubscriptionStore(store, clock);
  const job = new RecordingJob(clock);
  const log = createLogger('silent');
  return {
    clock, store, subscriptions, job,
    scheduler: (options = {}, holder = 'replica-a', theJob = job) => new DigestScheduler({
      subscriptions, leases: new RunLeases(store, clock, { holder, leaseMs: LEASE_MS }), leaseMs: LEASE_MS, job: theJob, clock, log,
    }, options),
  };
}

/** Ticks every TICK_MS of clock time until `until`, collecting what ran. */
async function tickUntil(clock: World['clock'], schedulers: DigestScheduler[], until: number): Promise<TickRun[]> {
  const runs: TickRun[] = [];
  while (clock.now() < until) {
    for (const scheduler of schedulers) runs.push(...(await scheduler.tick()));
    clock.advance(TICK_MS);
  }
  return runs;
}

const countBy = <T>(items: T[], key: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});

describe('DigestScheduler', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });
  afterEach(() => w.store.close());

  it('posts once per weekly period at its due time, and refreshes in place inside the period (across DST)', async () => {
    const subscription = await w.subscriptions.create(request());
    const scheduler = w.scheduler({ refreshEveryMs: DAY });
    await tickUntil(w.clock, [scheduler], START + 5 * 7 * DAY);

    const posts = w.job.calls.filter((call) => call.previous.activityId === undefined);
    // Created Monday 10:00, after that day's 09:00: the first digest is the next Monday's.
    expect(posts.map((call) => call.period.key)).toEqual(['2026-03-23', '2026-03-30', '2026-04-06', '2026-04-13', '2026-04-20']);
    for (const post of posts) {
      expect(post.subscriptionId).toBe(subscription.id);
      // At the first tick at or after 09:00 Paris (08:00Z before the change, 07:00Z after).
      expect(post.at).toBe(post.period.dueAt.getTime());
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', weekday: 'long' }).format(post.at)).toBe('Monday 09:00');
    }
    // Each refresh updates the card of its own period, one per day after the post.
    const refreshes = w.job.calls.filter((call) => call.previous.activityId !== undefined);
    const postedIds = new Map(posts.map((post, index) => [post.period.key, `activity-${index + 1}`]));
    for (const refresh of refreshes) expect(refresh.previous.activityId).toBe(postedIds.get(refresh.period.key));
    expect(countBy(refreshes, (call) => call.period.key)).toEqual({ '2026-03-23': 6, '2026-03-30': 6, '2026-04-06': 6, '2026-04-13': 6 });
  });

  it('does not run again in the same period without refreshes, however often it ticks', async () => {
    await w.subscriptions.create(request({ cadence: { every: 'day', time: '07:30', timeZone: 'America/New_York' } }));
    const scheduler = w.scheduler({ refreshEveryMs: null });
    const runs = await tickUntil(w.clock, [scheduler], START + 10 * DAY);
    expect(runs).toHaveLength(10);
    expect(new Set(runs.map((run) => run.periodKey)).size).toBe(10);
    expect(runs.every((run) => run.kind === 'post' && run.result === 'done')).toBe(true);
  });

  it('runs each period once with two replicas on one store, and a due period only once both tick at once', async () => {
    const file = join(tmpdir(), `digest-scheduler-${process.pid}-${Date.now()}.db`);
    const shared = world(file);
    const other = new SqliteStorage(file, { now: () => shared.clock.now() });
    try {
      const subs = await Promise.all(['def-1', 'def-2', 'def-3'].map((definitionId) =>
        shared.subscriptions.create(request({ target: { kind: 'review', definitionId, name: definitionId } }))));
      const a = shared.scheduler({ refreshEveryMs: null }, 'replica-a');
      const b = new DigestScheduler({
        subscriptions: new SubscriptionStore(other, shared.clock), leases: new RunLeases(other, shared.clock, { holder: 'replica-b', leaseMs: LEASE_MS }),
        leaseMs: LEASE_MS, job: shared.job, clock: shared.clock, log: createLogger('silent'),
      }, { refreshEveryMs: null });
      const runs: TickRun[] = [];
      while (shared.clock.now() < START + 6 * 7 * DAY) {
        runs.push(...(await Promise.all([a.tick(), b.tick()])).flat());
        shared.clock.advance(TICK_MS);
      }
      expect(runs).toHaveLength(3 * 6);
      const perPeriod = countBy(shared.job.calls, (call) => `${call.subscriptionId}/${call.period.key}`);
      expect(Object.values(perPeriod).every((count) => count === 1)).toBe(true);
      expect(Object.keys(perPeriod)).toHaveLength(3 * 6);
      expect(new Set(shared.job.calls.map((call) => call.subscriptionId))).toEqual(new Set(subs.map((s) => s.id)));
    } finally {
      await other.close();
      await shared.store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
  });

  it('retries a failed job with doubling backoff, then gives the period up, and starts afresh next period', async () => {
    await w.subscriptions.create(request({ cadence: { every: 'day', time: '12:00', timeZone: 'UTC' } }));
    const scheduler = w.scheduler({ refreshEveryMs: null, retry: { baseMs: 30 * 60_000, maxMs: 2 * HOUR, maxAttempts: 4 } });
    w.job.failNext = 4;
    const due = nextDue({ every: 'day', time: '12:00', timeZone: 'UTC' }, new Date(START));
    const runs = await tickUntil(w.clock, [scheduler], due.getTime() + DAY + TICK_MS);
    const offsets = w.job.calls.map((call) => (call.at - due.getTime()) / 60_000);
    // Failures at +0, +30 min, +60 min (30 after), +120 min (60 after); given up; the next day's period posts.
    expect(offsets).toEqual([0, 30, 90, 210, 24 * 60]);
    expect(runs.map((run) => run.result)).toEqual(['failed', 'failed', 'failed', 'gave-up', 'done']);
  });

  it('retries a failed refresh without losing the posted card', async () => {
    await w.subscriptions.create(request({ cadence: { every: 'day', time: '12:00', timeZone: 'UTC' } }));
    const scheduler = w.scheduler({ refreshEveryMs: 2 * HOUR, retry: { baseMs: 15 * 60_000, maxMs: HOUR, maxAttempts: 5 } });
    const due = nextDue({ every: 'day', time: '12:00', timeZone: 'UTC' }, new Date(START)).getTime();
    await tickUntil(w.clock, [scheduler], due + TICK_MS);
    w.job.failNext = 1;
    const runs = await tickUntil(w.clock, [scheduler], due + 3 * HOUR);
    expect(runs.map((run) => [run.kind, run.result, (w.job.calls[runs.indexOf(run) + 1].at - due) / 60_000])).toEqual([
      ['refresh', 'failed', 120],
      ['refresh', 'done', 135],
    ]);
    expect(w.job.calls.slice(1).map((call) => call.previous.activityId)).toEqual(['activity-1', 'activity-1']);
  });

  it('posts a finished review once more, then drops the subscription; an "all" subscription stays', async () => {
    const one = await w.subscriptions.create(request());
    const all = await w.subscriptions.create(request({ target: { kind: 'all' } }));
    const scheduler = w.scheduler({ refreshEveryMs: HOUR });
    const due = nextDue(WEEKLY_PARIS, new Date(START)).getTime();
    w.job.finishFor.add(one.id);
    w.job.finishFor.add(all.id);
    const runs = await tickUntil(w.clock, [scheduler], due + 1);
    expect(runs.map((run) => run.subscriptionId).sort()).toEqual([one.id, all.id].sort());
    await expect(w.subscriptions.get(one.id)).resolves.toBeUndefined();
    await expect(w.subscriptions.get(all.id)).resolves.toEqual(all);
    // "all" reported finished too: no refresh in that period, but the next periods post again.
    await tickUntil(w.clock, [scheduler], due + 3 * 7 * DAY);
    expect(w.job.calls.filter((call) => call.subscriptionId === one.id)).toHaveLength(1);
    const allCalls = w.job.calls.filter((call) => call.subscriptionId === all.id);
    expect(allCalls.filter((call) => call.period.key === '2026-03-23')).toHaveLength(1);
    expect(new Set(allCalls.map((call) => call.period.key))).toEqual(new Set(['2026-03-23', '2026-03-30', '2026-04-06', '2026-04-13']));
  });

  it('a quiet period (nothing to post) is asked once, not refreshed, and the subscription stays', async () => {
    const one = await w.subscriptions.create(request());
    const scheduler = w.scheduler({ refreshEveryMs: HOUR });
    w.job.quietFor.add(one.id);
    const due = nextDue(WEEKLY_PARIS, new Date(START)).getTime();
    const runs = await tickUntil(w.clock, [scheduler], due + DAY);
    expect(runs.map((run) => [run.subscriptionId, run.kind, run.result])).toEqual([[one.id, 'post', 'done']]);
    expect(w.job.calls).toHaveLength(1);
    await expect(w.subscriptions.get(one.id)).resolves.toEqual(one);
    // The next period asks again (a new run may have started).
    await tickUntil(w.clock, [scheduler], due + 7 * DAY + 1);
    expect(w.job.calls).toHaveLength(2);
  });

  it('skips suspended conversations (its own flag and the conversation store) and resumes afterwards', async () => {
    const flagged = await w.subscriptions.create(request({ conversationId: '19:a@thread.tacv2' }));
    const viaStore = await w.subscriptions.create(request({ conversationId: '19:b@thread.tacv2' }));
    await w.subscriptions.setSuspended(flagged.conversationId, true);
    const suspendedConversations = new Set([viaStore.conversationId]);
    const scheduler = new DigestScheduler({
      subscriptions: w.subscriptions, leases: new RunLeases(w.store, w.clock, { holder: 'a', leaseMs: LEASE_MS }), leaseMs: LEASE_MS,
      job: w.job, clock: w.clock, log: createLogger('silent'),
      isConversationSuspended: (id) => Promise.resolve(suspendedConversations.has(id)),
    }, { refreshEveryMs: null });
    const due = nextDue(WEEKLY_PARIS, new Date(START)).getTime();
    await tickUntil(w.clock, [scheduler], due + HOUR);
    expect(w.job.calls).toHaveLength(0);
    await w.subscriptions.setSuspended(flagged.conversationId, false);
    suspendedConversations.clear();
    await tickUntil(w.clock, [scheduler], due + 2 * HOUR);
    expect(w.job.calls.map((call) => [call.subscriptionId, call.period.key]).sort()).toEqual([[flagged.id, '2026-03-23'], [viaStore.id, '2026-03-23']].sort());
  });

  it('leaves a period leased by a replica that died until the lease expires, then takes it over', async () => {
    const subscription = await w.subscriptions.create(request());
    const due = nextDue(WEEKLY_PARIS, new Date(START));
    w.clock.set(due.getTime());
    const dead = new RunLeases(w.store, w.clock, { holder: 'dead', leaseMs: LEASE_MS });
    await expect(dead.acquire(subscription.id, periodAt(WEEKLY_PARIS, due), () => true)).resolves.toBeDefined();
    const scheduler = w.scheduler({ refreshEveryMs: null });
    w.clock.advance(LEASE_MS - 1);
    await expect(scheduler.tick()).resolves.toEqual([]);
    w.clock.advance(1);
    await expect(scheduler.tick()).resolves.toEqual([{ subscriptionId: subscription.id, periodKey: '2026-03-23', kind: 'post', result: 'done' }]);
    await expect(scheduler.tick()).resolves.toEqual([]);
  });

  it('does not post a period again for a replica whose clock lags a period behind', async () => {
    await w.subscriptions.create(request({ cadence: { every: 'day', time: '12:00', timeZone: 'UTC' } }));
    const ahead = w.scheduler({ refreshEveryMs: null }, 'ahead');
    const laggingClock = fixedClock(START);
    const lagging = new DigestScheduler({
      subscriptions: w.subscriptions, leases: new RunLeases(w.store, laggingClock, { holder: 'lagging', leaseMs: LEASE_MS }), leaseMs: LEASE_MS,
      job: w.job, clock: laggingClock, log: createLogger('silent'),
    }, { refreshEveryMs: null });
    // Three daily periods (16, 17, 18 March) run on the clock that is ahead; then the lagging one, still on the
    // 17th's period when the 18th's is out, ticks up to where the other stopped.
    await tickUntil(w.clock, [ahead], START + 3 * DAY);
    expect(w.job.calls.map((call) => call.period.key)).toEqual(['2026-03-16', '2026-03-17', '2026-03-18']);
    laggingClock.set(START + 2 * DAY);
    await tickUntil(laggingClock, [lagging], START + 3 * DAY);
    expect(w.job.calls).toHaveLength(3);
  });

  it('never starts a period that ended while the pass was under way', async () => {
    const subscription = await w.subscriptions.create(request());
    const due = nextDue(WEEKLY_PARIS, new Date(START)).getTime();
    const afterPeriod = nextDue(WEEKLY_PARIS, new Date(due)).getTime() + 1;
    // The scheduler's first reading is inside the period, every later one after it (a clock that jumped, as the
    // emulator's does); the leases keep the period's own time.
    let reads = 0;
    const jumping = { now: () => (reads++ === 0 ? due : afterPeriod) };
    const leasesClock = fixedClock(due);
    const scheduler = new DigestScheduler({
      subscriptions: w.subscriptions, leases: new RunLeases(w.store, leasesClock, { holder: 'a', leaseMs: LEASE_MS }), leaseMs: LEASE_MS,
      job: w.job, clock: jumping, log: createLogger('silent'),
    }, { refreshEveryMs: null });
    await expect(scheduler.tick()).resolves.toEqual([]);
    expect(w.job.calls).toHaveLength(0);
    const leases = new RunLeases(w.store, leasesClock, { holder: 'b', leaseMs: LEASE_MS });
    const record = await leases.read(subscription.id, periodAt(WEEKLY_PARIS, new Date(due)).key);
    expect(record).toBeDefined();
    expect(leases.isLeased(record)).toBe(false);
  });

  it('shares one pass between concurrent tick() calls', async () => {
    await w.subscriptions.create(request());
    const scheduler = w.scheduler({ refreshEveryMs: null });
    w.clock.set(nextDue(WEEKLY_PARIS, new Date(START)).getTime());
    const [first, second] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect(first).toBe(second);
    expect(w.job.calls).toHaveLength(1);
  });

  it('start() ticks through the injected ticker and stop() ends it', async () => {
    await w.subscriptions.create(request());
    const scheduler = w.scheduler({ refreshEveryMs: null });
    let fire: (() => void) | undefined;
    let stopped = false;
    scheduler.start((tick) => {
      fire = tick;
      return () => {
        stopped = true;
      };
    });
    w.clock.set(nextDue(WEEKLY_PARIS, new Date(START)).getTime());
    fire?.();
    await scheduler.stop();
    expect(stopped).toBe(true);
    expect(w.job.calls).toHaveLength(1);
  });
});

describe('planRun', () => {
  const base = { subscriptionId: 's', periodKey: 'p', dueAt: new Date(START).toISOString() };
  it('posts when nothing is recorded, waits for a retry, refreshes when the interval has passed', () => {
    expect(planRun(undefined, START, HOUR)).toEqual({ run: 'post' });
    expect(planRun({ ...base, failures: 1, retryAt: START + 10 }, START, HOUR)).toEqual({ waitUntil: START + 10 });
    expect(planRun({ ...base, failures: 1, retryAt: START }, START, HOUR)).toEqual({ run: 'post' });
    const posted = { ...base, activityId: 'a', postedAt: new Date(START).toISOString() };
    expect(planRun(posted, START + HOUR - 1, HOUR)).toEqual({ waitUntil: START + HOUR });
    expect(planRun(posted, START + HOUR, HOUR)).toEqual({ run: 'refresh' });
    expect(planRun(posted, START + 100 * HOUR, null)).toEqual({ idle: true });
    expect(planRun({ ...posted, finished: true }, START + 100 * HOUR, HOUR)).toEqual({ idle: true });
    expect(planRun({ ...base, gaveUp: true }, START + 100 * HOUR, HOUR)).toEqual({ idle: true });
  });
});
