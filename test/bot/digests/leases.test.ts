import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../../bot/clock';
import { RunLeases, runKey, type RunRecord } from '../../../bot/digests/leases';
import { BlobKeyValueStore } from '../../../bot/storage/blobStorage';
import type { KeyValueStore } from '../../../bot/storage/keyValueStore';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { startAzurite, type Azurite } from '../../support/azurite';

const START = Date.UTC(2026, 11, 7, 8);
const LEASE_MS = 60_000;
const PERIOD = { key: '2026-12-07', dueAt: new Date(START) };
const notPosted = (record: RunRecord | undefined): boolean => record?.activityId === undefined;

let directory: string;
let azurite: Azurite | undefined;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'digest-leases-'));
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  await azurite?.stop();
});

/** Two stores, as two processes would open them, over one SQLite file or one Blob container; both on `now`. */
const backends: [string, (now: () => number) => [KeyValueStore, KeyValueStore]][] = [
  ['SQLite file', (now) => {
    const file = join(directory, `${randomUUID()}.db`);
    return [new SqliteStorage(file, { now }), new SqliteStorage(file, { now })];
  }],
  ['Azurite', (now) => {
    const container = `l-${randomUUID()}`;
    const connection = azurite?.connectionString ?? '';
    return [new BlobKeyValueStore(connection, container, { now }), new BlobKeyValueStore(connection, container, { now })];
  }],
];

describe.each(backends)('RunLeases on %s', (_name, open) => {
  let clock: ReturnType<typeof fixedClock>;
  let stores: [KeyValueStore, KeyValueStore];
  let a: RunLeases;
  let b: RunLeases;
  beforeEach(() => {
    clock = fixedClock(START);
    stores = open(() => clock.now());
    a = new RunLeases(stores[0], clock, { holder: 'replica-a', leaseMs: LEASE_MS });
    b = new RunLeases(stores[1], clock, { holder: 'replica-b', leaseMs: LEASE_MS });
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('gives a period to one holder until its lease expires, then to another; the first can no longer finish', async () => {
    const held = await a.acquire('sub-1', PERIOD, notPosted);
    expect(held?.record).toMatchObject({ subscriptionId: 'sub-1', periodKey: PERIOD.key, dueAt: PERIOD.dueAt.toISOString(), lease: { holder: 'replica-a', expiresAt: START + LEASE_MS } });
    await expect(b.acquire('sub-1', PERIOD, notPosted)).resolves.toBeUndefined();
    await expect(a.acquire('sub-1', PERIOD, notPosted)).resolves.toBeUndefined(); // not re-entrant either
    // Another period or subscription is another lease.
    await expect(b.acquire('sub-1', { ...PERIOD, key: '2026-12-14' }, notPosted)).resolves.toBeDefined();
    await expect(b.acquire('sub-2', PERIOD, notPosted)).resolves.toBeDefined();

    clock.advance(LEASE_MS - 1);
    await expect(b.acquire('sub-1', PERIOD, notPosted)).resolves.toBeUndefined();
    clock.advance(1);
    const takenOver = await b.acquire('sub-1', PERIOD, notPosted);
    expect(takenOver?.record.lease?.holder).toBe('replica-b');
    if (held === undefined || takenOver === undefined) throw new Error('leases expected');
    await expect(a.finish(held, { activityId: 'stale' })).resolves.toBe(false);
    await expect(a.renew(held)).resolves.toBe(false);
    await expect(b.finish(takenOver, { activityId: 'activity-1', postedAt: new Date(clock.now()).toISOString() })).resolves.toBe(true);
    const record = await a.read('sub-1', PERIOD.key);
    expect(record).toEqual({ subscriptionId: 'sub-1', periodKey: PERIOD.key, dueAt: PERIOD.dueAt.toISOString(), activityId: 'activity-1', postedAt: new Date(START + LEASE_MS).toISOString() });
    // Done: nothing to do for `notPosted`, but a refresh decision can still take the period.
    await expect(a.acquire('sub-1', PERIOD, notPosted)).resolves.toBeUndefined();
    const refresh = await a.acquire('sub-1', PERIOD, (r) => r?.activityId === 'activity-1');
    expect(refresh?.record.activityId).toBe('activity-1');
  });

  it('keeps a renewed lease past its first expiry', async () => {
    const held = await a.acquire('sub-1', PERIOD, notPosted);
    if (held === undefined) throw new Error('lease expected');
    clock.advance(LEASE_MS - 10_000);
    await expect(a.renew(held)).resolves.toBe(true);
    clock.advance(LEASE_MS - 1);
    await expect(b.acquire('sub-1', PERIOD, notPosted)).resolves.toBeUndefined();
    expect(a.isLeased(await b.read('sub-1', PERIOD.key))).toBe(true);
    clock.advance(1);
    expect(a.isLeased(await b.read('sub-1', PERIOD.key))).toBe(false);
    // Expired but not taken over: the holder may still finish (nobody else can have posted).
    await expect(a.finish(held, { activityId: 'late' })).resolves.toBe(true);
    await expect(b.acquire('sub-1', PERIOD, notPosted)).resolves.toBeUndefined();
  });

  it('finishes even when its own renewals land in between', async () => {
    const held = await a.acquire('sub-1', PERIOD, notPosted);
    if (held === undefined) throw new Error('lease expected');
    const results = await Promise.all([a.renew(held), a.renew(held), a.finish(held, { activityId: 'posted' }), a.renew(held)]);
    expect(results[2]).toBe(true);
    const record = await b.read('sub-1', PERIOD.key);
    expect(record?.activityId).toBe('posted');
    expect(record?.lease).toBeUndefined();
  });

  it('lets another holder in at once after a release, and does not ask decide while leased', async () => {
    const held = await a.acquire('sub-1', PERIOD, notPosted);
    if (held === undefined) throw new Error('lease expected');
    const decide = jest.fn(notPosted);
    await expect(b.acquire('sub-1', PERIOD, decide)).resolves.toBeUndefined();
    expect(decide).not.toHaveBeenCalled();
    await expect(a.release(held)).resolves.toBe(true);
    await expect(a.release(held)).resolves.toBe(false);
    await expect(b.acquire('sub-1', PERIOD, decide)).resolves.toBeDefined();
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ subscriptionId: 'sub-1' }));
  });

  it('writes nothing when decide finds no work', async () => {
    await expect(a.acquire('sub-1', PERIOD, () => false)).resolves.toBeUndefined();
    await expect(stores[0].read([runKey('sub-1', PERIOD.key)])).resolves.toEqual({});
  });

  it('lets exactly one of many concurrent acquirers (two stores) win, for a new and for an expired record', async () => {
    const contenders = Array.from({ length: 12 }, (_unused, i) =>
      new RunLeases(stores[i % 2], clock, { holder: `replica-${i}`, leaseMs: LEASE_MS }));
    const first = await Promise.all(contenders.map((leases) => leases.acquire('sub-1', PERIOD, notPosted)));
    expect(first.filter((held) => held !== undefined)).toHaveLength(1);
    clock.advance(LEASE_MS);
    const second = await Promise.all(contenders.map((leases) => leases.acquire('sub-1', PERIOD, notPosted)));
    const winners = second.filter((held) => held !== undefined);
    expect(winners).toHaveLength(1);
    const holder = winners[0]?.record.lease?.holder;
    expect((await a.read('sub-1', PERIOD.key))?.lease?.holder).toBe(holder);
  });

  it('forgets a period', async () => {
    const held = await a.acquire('sub-1', PERIOD, notPosted);
    if (held === undefined) throw new Error('lease expected');
    await a.finish(held, { activityId: 'x' });
    await a.forget('sub-1', PERIOD.key);
    await expect(a.read('sub-1', PERIOD.key)).resolves.toBeUndefined();
  });
});
