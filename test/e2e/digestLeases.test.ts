import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nextDue, periodOf, type Cadence } from '../../bot/digests/schedule';
import { SubscriptionStore, type Subscription } from '../../bot/digests/subscriptions';
import { BlobKeyValueStore } from '../../bot/storage/blobStorage';
import { startAzurite, type Azurite } from '../support/azurite';
import type { JobLine } from '../support/digestReplica';

/**
 * Issue 12, item 6: two scheduler processes on one Azurite container share subscriptions and one lease per
 * subscription and period, so every digest runs exactly once; a replica SIGKILLed while holding a lease leaves the
 * period to the other once the lease has expired. The processes read their clock from a file the test moves.
 */

const ROOT = resolve(__dirname, '..', '..');
const REPLICA = join(ROOT, 'test', 'support', 'digestReplica.ts');
const LEASE_MS = 60_000;
const START = Date.UTC(2026, 0, 5, 8);
const DAILY: Cadence = { every: 'day', time: '09:00', timeZone: 'UTC' };

jest.setTimeout(120_000);

let azurite: Azurite | undefined;
let directory: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  directory = mkdtempSync(join(tmpdir(), 'digest-leases-e2e-'));
}, 30_000);

afterEach(async () => {
  // SIGKILL: a replica stuck in a hanging job would wait for it on SIGTERM.
  await Promise.all(children.splice(0).map((child) => stopChild(child, 'SIGKILL')));
});

afterAll(async () => {
  await azurite?.stop();
  rmSync(directory, { recursive: true, force: true });
});

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill(signal);
  return exited;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Setup {
  clockFile: string;
  logFile: string;
  container: string;
  setClock(ms: number): void;
  lines(): JobLine[];
}

function setup(): Setup {
  const id = randomUUID();
  const clockFile = join(directory, `${id}.clock`);
  const logFile = join(directory, `${id}.log`);
  writeFileSync(logFile, '');
  const setClock = (ms: number): void => writeFileSync(clockFile, String(ms));
  setClock(START);
  return {
    clockFile, logFile, container: `e-${id}`, setClock,
    // Only whole lines: a replica may be appending one while the test reads (a partial last line is read next time).
    lines: () => {
      const text = readFileSync(logFile, 'utf8');
      return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as JobLine);
    },
  };
}

async function startReplica(holder: string, s: Setup, hangMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
    cwd: ROOT,
    env: {
      ...process.env,
      DIGEST_CONNECTION: azurite?.connectionString ?? '', DIGEST_CONTAINER: s.container, DIGEST_HOLDER: holder,
      DIGEST_CLOCK_FILE: s.clockFile, DIGEST_LOG_FILE: s.logFile, DIGEST_LEASE_MS: String(LEASE_MS), DIGEST_HANG_MS: String(hangMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitFor(`${holder} to start`, () => {
    if (child.exitCode !== null) throw new Error(`${holder} exited with ${child.exitCode}: ${output}`);
    return output.includes('ready');
  }, 30_000);
  return child;
}

async function subscribe(s: Setup, count: number): Promise<Subscription[]> {
  const store = new BlobKeyValueStore(azurite?.connectionString ?? '', s.container);
  const subscriptions = new SubscriptionStore(store, { now: () => START });
  const created: Subscription[] = [];
  for (let i = 0; i < count; i++) {
    created.push(await subscriptions.create({
      conversationId: `19:channel-${i}@thread.tacv2`, teamId: '19:team@thread.tacv2',
      target: { kind: 'review', definitionId: `def-${i}`, name: `Review ${i}` }, cadence: DAILY, createdBy: { id: 'aad-adele', name: 'Adele' },
    }));
  }
  return created;
}

const key = (line: JobLine): string => `${line.subscriptionId}/${line.periodKey}`;

describe('digest leases across two processes on Azurite', () => {
  it('runs every subscription exactly once per period over 20 periods', async () => {
    const s = setup();
    const subscriptions = await subscribe(s, 3);
    await Promise.all([startReplica('replica-a', s, 150), startReplica('replica-b', s, 150)]);

    let due = new Date(START);
    const periods: string[] = [];
    for (let i = 0; i < 20; i++) {
      due = nextDue(DAILY, due);
      const period = periodOf(DAILY, due).key;
      periods.push(period);
      s.setClock(due.getTime() + 60_000);
      await waitFor(`period ${period}`, () => s.lines().filter((line) => line.phase === 'done' && line.periodKey === period).length >= 3);
    }
    // Both replicas keep ticking a while longer: a late duplicate would show up now.
    await sleep(500);

    const lines = s.lines();
    const expected = subscriptions.flatMap((subscription) => periods.map((period) => `${subscription.id}/${period}`)).sort();
    for (const phase of ['start', 'done'] as const) {
      expect(lines.filter((line) => line.phase === phase).map(key).sort()).toEqual(expected);
    }
    expect(lines.every((line) => line.previous === undefined)).toBe(true);
  });

  it('leaves a SIGKILLed holder\'s period to the other replica once the lease has expired, and only then', async () => {
    const s = setup();
    const [subscription] = await subscribe(s, 1);
    const replicas = new Map([
      ['replica-a', await startReplica('replica-a', s, 600_000)],
      ['replica-b', await startReplica('replica-b', s, 600_000)],
    ]);
    const due = nextDue(DAILY, new Date(START));
    const period = periodOf(DAILY, due).key;
    s.setClock(due.getTime());

    await waitFor('a replica to start the job', () => s.lines().some((line) => line.phase === 'start'));
    const holder = s.lines()[0].holder;
    const survivor = holder === 'replica-a' ? 'replica-b' : 'replica-a';
    await stopChild(replicas.get(holder) as ChildProcess, 'SIGKILL');

    // The lease is live (the clock has not moved): the survivor must keep its hands off, tick after tick.
    s.setClock(due.getTime() + LEASE_MS - 1_000);
    await sleep(1_000);
    expect(s.lines()).toEqual([{ holder, phase: 'start', subscriptionId: subscription.id, periodKey: period }]);

    s.setClock(due.getTime() + LEASE_MS + 1_000);
    await waitFor('the survivor to complete the period', () => s.lines().some((line) => line.phase === 'done'));
    await sleep(500);
    expect(s.lines().map((line) => [line.holder, line.phase])).toEqual([[holder, 'start'], [survivor, 'start'], [survivor, 'done']]);

    // The survivor carries on alone: the next period once.
    const next = nextDue(DAILY, due);
    s.setClock(next.getTime());
    await waitFor('the next period', () => s.lines().filter((line) => line.phase === 'done').length === 2, 20_000);
    await sleep(500);
    const last = s.lines().slice(3);
    expect(last.map((line) => [line.holder, line.phase, line.periodKey])).toEqual([
      [survivor, 'start', periodOf(DAILY, next).key], [survivor, 'done', periodOf(DAILY, next).key],
    ]);
  });
});
