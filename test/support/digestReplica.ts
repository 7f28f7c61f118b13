/**
 * One "bot replica" for test/e2e/digestLeases.test.ts: a DigestScheduler against a shared Azurite container,
 * with a fake job that appends to a shared file. Run as `node --import tsx test/support/digestReplica.ts`.
 *
 * Environment: DIGEST_CONNECTION, DIGEST_CONTAINER (the store), DIGEST_HOLDER (this replica's name),
 * DIGEST_CLOCK_FILE (the shared clock: milliseconds since the epoch, written by the test), DIGEST_LOG_FILE (where
 * the job appends one JSON line on start and one on done), DIGEST_LEASE_MS (lease length, clock time),
 * DIGEST_HANG_MS (real milliseconds the very first job written to the log takes; every other job takes 20 ms).
 *
 * The clock is the file's, so leases expire only when the test moves it; the ticks themselves run in real time.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { RunLeases } from '../../bot/digests/leases';
import type { Period } from '../../bot/digests/schedule';
import { DigestScheduler, intervalTicker, type DigestJob } from '../../bot/digests/scheduler';
import { SubscriptionStore, type Subscription } from '../../bot/digests/subscriptions';
import { createLogger } from '../../bot/logger';
import { BlobKeyValueStore } from '../../bot/storage/blobStorage';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

export interface JobLine {
  holder: string;
  phase: 'start' | 'done';
  subscriptionId: string;
  periodKey: string;
  previous?: string;
}

const holder = env('DIGEST_HOLDER');
const clockFile = env('DIGEST_CLOCK_FILE');
const logFile = env('DIGEST_LOG_FILE');
const leaseMs = Number(env('DIGEST_LEASE_MS'));
const hangMs = Number(process.env.DIGEST_HANG_MS ?? '0');
const clock = { now: (): number => Number(readFileSync(clockFile, 'utf8')) };
const store = new BlobKeyValueStore(env('DIGEST_CONNECTION'), env('DIGEST_CONTAINER'), { now: clock.now });

const logLines = (): JobLine[] =>
  readFileSync(logFile, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as JobLine);

/** Only the very first job of a test hangs: nothing has started or finished before it. */
const isFirstJob = (): boolean => logLines().length === 0;

const job: DigestJob = {
  async run(subscription: Subscription, period: Period, previous: { activityId?: string }) {
    const first = isFirstJob();
    const line = (phase: JobLine['phase']): string =>
      `${JSON.stringify({ holder, phase, subscriptionId: subscription.id, periodKey: period.key, previous: previous.activityId } satisfies JobLine)}\n`;
    appendFileSync(logFile, line('start'));
    // Some real time inside the job, so the other replica's ticks run while this one holds the lease.
    await new Promise((resolve) => setTimeout(resolve, first ? hangMs : 20));
    appendFileSync(logFile, line('done'));
    return { activityId: `${holder}:${period.key}` };
  },
};

const scheduler = new DigestScheduler({
  subscriptions: new SubscriptionStore(store, clock),
  leases: new RunLeases(store, clock, { holder, leaseMs }),
  leaseMs,
  job,
  clock,
  log: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr),
}, { refreshEveryMs: null, renewEveryMs: 100, concurrency: 4 });

scheduler.start(intervalTicker(40));
// The ticker's timer is unref'ed (it must not keep a bot alive on its own); this one keeps the replica running.
const keepAlive = setInterval(() => undefined, 60_000);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  void scheduler.stop().then(() => process.exit(0));
});
