import type { Clock } from '../clock';
import { newCorrelationId, withLogContext } from '../logContext';
import type { Logger } from '../logger';
import { noTelemetry, type Telemetry } from '../telemetry';
import { RunLeases, type HeldLease, type RunOutcome, type RunRecord } from './leases';
import { nextDue, periodAt, type Period } from './schedule';
import type { Subscription, SubscriptionStore } from './subscriptions';

/**
 * Posts (or refreshes) one subscription's digest for one period. `previous.activityId` is set when this period's
 * card is already out: update it in place (and return its id, or a new one if it had to be posted again).
 * `finished`: the review has ended and this was its final card; a one-review subscription then drops out.
 * `quiet`: nothing to post this period (a recurring review between runs, its last run's final card already out).
 * Called with the lease held; must not take longer than a few lease renewals.
 */
export interface DigestJob {
  run(subscription: Subscription, period: Period, previous: { activityId?: string }): Promise<{ activityId: string; finished?: boolean } | { quiet: true }>;
}

export interface RetryOptions {
  /** Delay after the first failure; doubled after each further one, up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** Failed attempts in a row after which a period is given up (the next period starts afresh). */
  maxAttempts: number;
}

export interface DigestSchedulerOptions {
  /** Refresh a period's card in place this long after it was posted or last refreshed; null: never. Default 1 h. */
  refreshEveryMs?: number | null;
  /** Renew a held lease this often (real time) while the job runs. Default a third of the lease. */
  renewEveryMs?: number;
  /** Jobs run at once by one process. Default 4. */
  concurrency?: number;
  retry?: RetryOptions;
}

export interface DigestSchedulerDeps {
  subscriptions: Pick<SubscriptionStore, 'listAll' | 'remove'>;
  leases: RunLeases;
  /** The lease length the leases were made with, to derive the renewal interval. */
  leaseMs: number;
  job: DigestJob;
  clock: Clock;
  log: Logger;
  /** Whether posting to a conversation is suspended (ConversationStore's state); subscriptions' own flag also counts. */
  isConversationSuspended?: (conversationId: string) => Promise<boolean>;
  /** A `digest.run` span per job run (bot/telemetry); none when absent. */
  telemetry?: Pick<Telemetry, 'inSpan'>;
}

export type RunKind = 'post' | 'refresh';

/** What one tick did, per subscription it ran (for logs and tests). */
export interface TickRun {
  subscriptionId: string;
  periodKey: string;
  kind: RunKind;
  result: 'done' | 'failed' | 'gave-up' | 'lease-lost';
}

export const DEFAULT_RETRY: RetryOptions = { baseMs: 60_000, maxMs: 3_600_000, maxAttempts: 6 };
export const DEFAULT_REFRESH_MS = 3_600_000;

/** Starts calling `tick` repeatedly; returns the function that stops it. */
export type Ticker = (tick: () => void) => () => void;

/** A ticker on a real-time interval (production: every 15 s; the tick reads the injected clock). */
export const intervalTicker = (everyMs: number): Ticker => (tick) => {
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * A background pass driven by a ticker (the digests' scheduler, the reviewer nudges): one pass at a time, concurrent
 * callers share the pass in progress, a tick while one runs is a no-op, and stop waits for the pass in progress.
 */
export class SharedPasses<T> {
  private running: Promise<T> | undefined;
  private stopTicker: (() => void) | undefined;

  constructor(private readonly pass: () => Promise<T>) {}

  /** The pass in progress, or a new one. */
  run(): Promise<T> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Calls `tick` on each tick of `ticker` while no pass runs; a failed tick goes to `failed`. */
  start(ticker: Ticker, tick: () => Promise<unknown>, failed: (error: unknown) => void): void {
    if (this.stopTicker !== undefined) return;
    this.stopTicker = ticker(() => {
      if (this.running !== undefined) return;
      tick().catch(failed);
    });
  }

  /** Stops ticking and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopTicker?.();
    this.stopTicker = undefined;
    await this.running?.catch(() => undefined);
  }
}

/** What a period's record asks for at `now`: a run of some kind, nothing until an instant, or nothing this period. */
export type Plan = { run: RunKind } | { waitUntil: number } | { idle: true };

export function planRun(record: RunRecord | undefined, now: number, refreshEveryMs: number | null): Plan {
  if (record === undefined) return { run: 'post' };
  if (record.gaveUp === true || record.finished === true) return { idle: true };
  if (record.retryAt !== undefined && record.retryAt > now) return { waitUntil: record.retryAt };
  if (record.activityId === undefined) return { run: 'post' };
  if (refreshEveryMs === null) return { idle: true };
  const last = Date.parse(record.refreshedAt ?? record.postedAt ?? record.dueAt);
  const due = Math.max(last + refreshEveryMs, record.retryAt ?? 0);
  return due <= now ? { run: 'refresh' } : { waitUntil: due };
}

/**
 * Runs digests when they fall due, in any number of processes sharing one store: on each tick it reads the
 * subscriptions, and for each whose current period is due (its due instant at or after the subscription's
 * creation: the first digest comes at the first due instant after subscribing) takes that period's lease when the
 * record says there is work (see {@link planRun}), runs the job, and records the outcome. Missed periods are not
 * replayed: after downtime only the current period runs. A failed job leaves the period to a later tick after an
 * exponential backoff, and is given up for the period after `maxAttempts`.
 */
export class DigestScheduler {
  private readonly refreshEveryMs: number | null;
  private readonly renewEveryMs: number;
  private readonly concurrency: number;
  private readonly retry: RetryOptions;
  /** Per subscription: nothing to do before `until` within the period that ends at `periodEnd` (no storage read). */
  private readonly quiet = new Map<string, { periodEnd: number; until: number }>();
  private readonly passes = new SharedPasses(() => this.pass());

  constructor(private readonly deps: DigestSchedulerDeps, options: DigestSchedulerOptions = {}) {
    this.refreshEveryMs = options.refreshEveryMs === undefined ? DEFAULT_REFRESH_MS : options.refreshEveryMs;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(deps.leaseMs / 3));
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Starts ticking (default: every 15 s); a tick still running when the next is due makes that one a no-op. */
  start(ticker: Ticker = intervalTicker(15_000)): void {
    this.passes.start(ticker, () => this.tick(), (error) => this.deps.log.error({ err: error }, 'digest scheduler tick failed'));
  }

  /** Stops ticking and waits for the tick in progress (its jobs finish and record their outcome). */
  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass over all subscriptions; concurrent calls share the pass in progress. */
  tick(): Promise<TickRun[]> {
    return this.passes.run();
  }

  private async pass(): Promise<TickRun[]> {
    const subscriptions = await this.deps.subscriptions.listAll();
    const live = new Set(subscriptions.map((subscription) => subscription.id));
    for (const id of this.quiet.keys()) if (!live.has(id)) this.quiet.delete(id);
    const queue = [...subscriptions];
    const runs: TickRun[] = [];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        try {
          const run = await this.consider(next);
          if (run !== undefined) runs.push(run);
        } catch (error) {
          // Storage trouble for one subscription must not stop the others; the next tick tries again.
          this.deps.log.warn({ err: error, subscriptionId: next.id }, 'digest: could not check a subscription');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return runs;
  }

  private async consider(subscription: Subscription): Promise<TickRun | undefined> {
    const now = this.deps.clock.now();
    if (subscription.suspended === true) return undefined;
    const quiet = this.quiet.get(subscription.id);
    if (quiet !== undefined && now < quiet.periodEnd && now < quiet.until) return undefined;
    const period = periodAt(subscription.cadence, new Date(now));
    const rest = (until: number): void => {
      this.quiet.set(subscription.id, { periodEnd: nextDue(subscription.cadence, period.dueAt).getTime(), until });
    };
    if (period.dueAt.getTime() < Date.parse(subscription.createdAt)) {
      rest(Number.POSITIVE_INFINITY);
      return undefined;
    }
    if (await this.deps.isConversationSuspended?.(subscription.conversationId)) return undefined;

    let kind: RunKind | undefined;
    const held = await this.deps.leases.acquire(subscription.id, period, (record) => {
      const plan = planRun(record, now, this.refreshEveryMs);
      if ('run' in plan) kind = plan.run;
      else rest('waitUntil' in plan ? plan.waitUntil : Number.POSITIVE_INFINITY);
      return 'run' in plan;
    });
    if (held === undefined || kind === undefined) return undefined;
    // A pass that took long (or a clock that jumped, as the emulator's does) may have computed a period that has
    // already ended: never start an old period's digest.
    if (this.deps.clock.now() >= nextDue(subscription.cadence, period.dueAt).getTime()) {
      await this.deps.leases.release(held);
      return undefined;
    }
    return this.runHeld(subscription, period, held, kind);
  }

  private async runHeld(subscription: Subscription, period: Period, held: HeldLease, kind: RunKind): Promise<TickRun> {
    const { job, leases, clock, log } = this.deps;
    const ids = { subscriptionId: subscription.id, periodKey: period.key, kind };
    // Renewals run one after another, and the outcome is written only after the last one has settled.
    let renewing: Promise<void> = Promise.resolve();
    const renewal = setInterval(() => {
      renewing = renewing.then(() => leases.renew(held)).then((kept) => {
        if (!kept) log.warn(ids, 'digest: lease lost while the job ran');
      }, (error: unknown) => log.warn({ ...ids, err: error }, 'digest: lease renewal failed'));
    }, this.renewEveryMs);
    renewal.unref();
    let outcome: RunOutcome;
    let result: TickRun['result'];
    let finished = false;
    try {
      const runId = newCorrelationId();
      const spanAttributes = { 'bot.run.id': runId, 'digest.subscription.id': subscription.id, 'digest.kind': kind };
      const done = await withLogContext({ runId }, () => (this.deps.telemetry ?? noTelemetry).inSpan('digest.run', spanAttributes,
        () => job.run(subscription, period, { activityId: held.record.activityId })));
      const at = new Date(clock.now()).toISOString();
      if ('quiet' in done) {
        // Nothing this period: the record says so, and no later tick of the period asks again.
        outcome = { finished: true, failures: 0, retryAt: undefined };
      } else {
        finished = done.finished === true;
        outcome = { activityId: done.activityId, ...(kind === 'post' ? { postedAt: at } : { refreshedAt: at }), failures: 0, retryAt: undefined };
        if (finished) outcome.finished = true;
      }
      result = 'done';
    } catch (error) {
      const failures = (held.record.failures ?? 0) + 1;
      const gaveUp = failures >= this.retry.maxAttempts;
      const delay = Math.min(this.retry.baseMs * 2 ** (failures - 1), this.retry.maxMs);
      outcome = { failures, retryAt: clock.now() + delay, ...(gaveUp ? { gaveUp: true } : {}) };
      result = gaveUp ? 'gave-up' : 'failed';
      log.warn({ ...ids, err: error, failures, gaveUp }, 'digest job failed');
    } finally {
      clearInterval(renewal);
    }
    await renewing;
    if (!(await leases.finish(held, outcome))) {
      // Another process took the period over after this lease expired: it may post this period's digest again.
      log.warn(ids, 'digest: lease lost before the outcome was recorded');
      return { ...ids, result: 'lease-lost' };
    }
    this.quiet.delete(subscription.id);
    if (result === 'done' && kind === 'post') await this.forgetPrevious(subscription, period);
    if (finished && subscription.target.kind === 'review') {
      await this.deps.subscriptions.remove(subscription.id);
      log.info(ids, 'digest: review finished, final card posted, subscription removed');
    }
    return { ...ids, result };
  }

  /**
   * Once this period is posted, the record of the period before the previous one goes. Not the previous one's: a
   * replica whose pass (or clock) still lags behind would find it missing and post that period again. Losing this
   * cleanup only leaves a small record behind.
   */
  private async forgetPrevious(subscription: Subscription, period: Period): Promise<void> {
    const previous = periodAt(subscription.cadence, new Date(period.dueAt.getTime() - 1));
    const older = periodAt(subscription.cadence, new Date(previous.dueAt.getTime() - 1));
    await this.deps.leases.forget(subscription.id, older.key).catch((error: unknown) =>
      this.deps.log.warn({ err: error, subscriptionId: subscription.id }, 'digest: could not forget an old period'));
  }
}
