import { randomUUID } from 'node:crypto';
import { MemoryStorage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { fixedClock } from '../../../bot/clock';
import { ConversationStore } from '../../../bot/conversations';
import { BlobKeyValueStore } from '../../../bot/storage/blobStorage';
import { activityIn, channelId, TEAM, turnIn } from '../proactive/support';
import { startAzurite, type Azurite } from '../../support/azurite';
import { describeKeyValueStoreContract } from './storageContract';

let azurite: Azurite | undefined;
let connectionString = '';

beforeAll(async () => {
  azurite = await startAzurite();
  if (process.env.SHOW_AZURITE_START) console.info(`Azurite blob listening after ${azurite.startedInMs} ms`);
  connectionString = azurite.connectionString;
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
});

/** A container of its own per store, so tests never see each other's blobs (names: lower case, 3-63 chars). */
const freshContainer = (): string => `t-${randomUUID()}`;

describeKeyValueStoreContract('BlobKeyValueStore on Azurite', (now) => new BlobKeyValueStore(connectionString, freshContainer(), { now }));

describe('BlobKeyValueStore', () => {
  it('shows the SSO dedup trap: BlobsStorage rejects the first {eTag: id} write, createIfAbsent does not', async () => {
    const container = freshContainer();
    const key = 'msteams/19:abc@thread.tacv2/exchange-1';
    // What TeamsSSOTokenExchangeMiddleware writes to de-duplicate a token exchange.
    const dedup = { [key]: { eTag: 'exchange-1' } };

    await expect(new MemoryStorage().write(dedup)).resolves.toBeUndefined();
    // On blobs the very first exchange looks like a duplicate, so the middleware would swallow it.
    await expect(new BlobsStorage(connectionString, container).write(dedup)).rejects.toThrow(/eTag conflict/);

    const store = new BlobKeyValueStore(connectionString, container);
    await expect(store.createIfAbsent(key, { exchangeId: 'exchange-1' }, 600)).resolves.toBe(true);
    await expect(store.createIfAbsent(key, { exchangeId: 'exchange-1' }, 600)).resolves.toBe(false);
  });

  it('creates its container on first use, whichever call comes first', async () => {
    const clockless = (): BlobKeyValueStore => new BlobKeyValueStore(connectionString, freshContainer());
    await expect(clockless().read(['k'])).resolves.toEqual({});
    await expect(clockless().delete(['k'])).resolves.toBeUndefined();
    await expect(clockless().createIfAbsent('k', {})).resolves.toBe(true);
    const writer = clockless();
    await writer.write({ k: { v: 1 } });
    await expect(writer.read(['k'])).resolves.toMatchObject({ k: { v: 1 } });
  });
});

test('conversation references on Blob Storage: a team\'s index takes every channel, and uninstalling forgets them all', async () => {
  // The team index is created with writeIfAbsent: a createIfAbsent item is invisible to `read` on Blob Storage, so
  // the second channel of a team could never be added (found when the digests were built on this store).
  const conversations = new ConversationStore(new BlobKeyValueStore(connectionString, freshContainer()), fixedClock(Date.parse('2026-01-05T09:00:00Z')));
  for (const n of [1, 2, 3]) await conversations.remember(turnIn(activityIn(channelId(n))), 'channel');
  expect((await conversations.forgetWhere(turnIn(activityIn(TEAM)))).sort()).toEqual([channelId(1), channelId(2), channelId(3), TEAM].sort());
  for (const n of [1, 2, 3]) expect(await conversations.get(channelId(n))).toBeUndefined();
}, 30_000);
