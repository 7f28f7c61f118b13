import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../../bot/clock';
import type { Cadence } from '../../../bot/digests/schedule';
import {
  MAX_SUBSCRIPTIONS_PER_CONVERSATION,
  SUBSCRIPTIONS_KEY,
  SubscriptionStore,
  type NewSubscription,
} from '../../../bot/digests/subscriptions';
import { isAppError } from '../../../bot/errors';
import { BlobKeyValueStore } from '../../../bot/storage/blobStorage';
import type { KeyValueStore } from '../../../bot/storage/keyValueStore';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { startAzurite, type Azurite } from '../../support/azurite';

const WEEKLY: Cadence = { every: 'week', weekday: 1, time: '09:00', timeZone: 'Europe/Paris' };
const CHANNEL = '19:general@thread.tacv2';
const START = Date.UTC(2026, 11, 1, 10);

const request = (overrides: Partial<NewSubscription> = {}): NewSubscription => ({
  conversationId: CHANNEL,
  teamId: '19:team@thread.tacv2',
  target: { kind: 'review', definitionId: 'def-1', name: 'Guests of Sales' },
  cadence: WEEKLY,
  createdBy: { id: 'aad-adele', name: 'Adele Vance' },
  ...overrides,
});

const rejection = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

let directory: string;
let azurite: Azurite | undefined;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'digest-subscriptions-'));
  azurite = await startAzurite();
}, 30_000);
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  await azurite?.stop();
});

/** Two stores (as two bot processes would open) over the same SQLite file or Blob container. */
const backends: [string, () => [KeyValueStore, KeyValueStore]][] = [
  ['SQLite file', () => {
    const file = join(directory, `${randomUUID()}.db`);
    return [new SqliteStorage(file), new SqliteStorage(file)];
  }],
  ['Azurite', () => {
    const container = `s-${randomUUID()}`;
    const connection = azurite?.connectionString ?? '';
    return [new BlobKeyValueStore(connection, container), new BlobKeyValueStore(connection, container)];
  }],
];

describe.each(backends)('SubscriptionStore on %s', (_name, open) => {
  let stores: [KeyValueStore, KeyValueStore];
  beforeEach(() => {
    stores = open();
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('creates with who and when, lists by conversation (threads as their channel), and removes by id', async () => {
    const clock = fixedClock(START);
    const subscriptions = new SubscriptionStore(stores[0], clock);
    const created = await subscriptions.create(request({ conversationId: `${CHANNEL};messageid=1700000000000` }));
    expect(created).toMatchObject({ conversationId: CHANNEL, createdAt: '2026-12-01T10:00:00.000Z', createdBy: { id: 'aad-adele' } });
    const other = await subscriptions.create(request({ conversationId: '19:other@thread.tacv2', target: { kind: 'all' } }));

    const second = new SubscriptionStore(stores[1], clock);
    await expect(second.listByConversation(CHANNEL)).resolves.toEqual([created]);
    await expect(second.listAll()).resolves.toEqual([created, other]);
    await expect(second.get(other.id)).resolves.toEqual(other);
    await expect(second.remove(created.id)).resolves.toEqual(created);
    await expect(second.remove(created.id)).resolves.toBeUndefined();
    await expect(subscriptions.listAll()).resolves.toEqual([other]);
  });

  it('refuses a second subscription to the same target in a channel, and more than the per-channel bound', async () => {
    const subscriptions = new SubscriptionStore(stores[0], fixedClock(START));
    await subscriptions.create(request());
    const twin = await rejection(subscriptions.create(request({ cadence: { every: 'day', time: '08:00', timeZone: 'UTC' } })));
    expect(isAppError(twin, 'InvalidInput')).toBe(true);
    expect((twin as Error).message).toContain('"Guests of Sales" every Monday at 09:00 (Europe/Paris)');
    // The same review elsewhere, and "all" here, are fine.
    await subscriptions.create(request({ conversationId: '19:other@thread.tacv2' }));
    await subscriptions.create(request({ target: { kind: 'all' } }));
    for (let i = 2; i < MAX_SUBSCRIPTIONS_PER_CONVERSATION; i++) {
      await subscriptions.create(request({ target: { kind: 'review', definitionId: `def-${i}`, name: `Review ${i}` } }));
    }
    const full = await rejection(subscriptions.create(request({ target: { kind: 'review', definitionId: 'one-more', name: 'One more' } })));
    expect(isAppError(full, 'InvalidInput')).toBe(true);
    expect((full as Error).message).toContain(`at most ${MAX_SUBSCRIPTIONS_PER_CONVERSATION}`);
    await expect(subscriptions.listByConversation(CHANNEL)).resolves.toHaveLength(MAX_SUBSCRIPTIONS_PER_CONVERSATION);
  });

  it('lands every change when two stores add, suspend and remove at the same time', async () => {
    const clock = fixedClock(START);
    const [a, b] = stores.map((store) => new SubscriptionStore(store, clock));
    const adds = Array.from({ length: 12 }, (_unused, i) => (i % 2 === 0 ? a : b).create(request({
      conversationId: `19:channel-${i % 3}@thread.tacv2`,
      target: { kind: 'review', definitionId: `def-${i}`, name: `Review ${i}` },
    })));
    const created = await Promise.all(adds);
    const all = await a.listAll();
    expect(all.map((s) => s.id).sort()).toEqual(created.map((s) => s.id).sort());

    const [suspendedA, suspendedB, removed] = await Promise.all([
      a.setSuspended('19:channel-0@thread.tacv2', true),
      b.setSuspended('19:channel-1@thread.tacv2', true),
      b.removeByConversation('19:channel-2@thread.tacv2'),
    ]);
    expect([suspendedA, suspendedB, removed.length]).toEqual([4, 4, 4]);
    const after = await b.listAll();
    expect(after).toHaveLength(8);
    expect(after.every((s) => s.suspended === true)).toBe(true);
    await expect(a.setSuspended('19:channel-0@thread.tacv2', false)).resolves.toBe(4);
    await expect(a.setSuspended('19:channel-0@thread.tacv2', false)).resolves.toBe(0);
    expect((await b.listByConversation('19:channel-0@thread.tacv2')).every((s) => s.suspended === undefined)).toBe(true);
  });

  it('leaves malformed records out of the lists', async () => {
    const subscriptions = new SubscriptionStore(stores[0], fixedClock(START));
    const good = await subscriptions.create(request());
    const { [SUBSCRIPTIONS_KEY]: index } = await stores[0].read([SUBSCRIPTIONS_KEY]);
    await stores[0].write({ [SUBSCRIPTIONS_KEY]: { ...index, subscriptions: [...(index.subscriptions as unknown[]), { id: 'broken' }, null] } });
    await expect(subscriptions.listAll()).resolves.toEqual([good]);
  });
});
