import { ActivityTypes, ConversationState, TestAdapter, TurnContext } from 'botbuilder';
import { isAppError } from '../../../bot/errors';
import type { KeyValueStore } from '../../../bot/storage/keyValueStore';

/** A settable clock for stores that take `now: () => number`. */
export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

/** A clock fixed at a known instant that moves only when told to. */
export function testClock(start = Date.UTC(2025, 0, 1)): TestClock {
  let current = start;
  return { now: () => current, advance: (ms) => { current += ms; } };
}

/** Keys shaped like Teams conversation ids, paths and non-ASCII text. */
export const AWKWARD_KEYS = [
  'msteams/conversations/19:abc123@thread.tacv2;messageid=1700000000000',
  'a:b@c;d/e',
  'ключ/日本語/😀',
  'spaces and %25 percent & ?query=1#frag',
];

const expectConflictError = (error: unknown): void => {
  expect(isAppError(error, 'StorageConflict')).toBe(true);
  // botbuilder's TeamsSSOTokenExchangeMiddleware recognises conflicts by these words.
  expect((error as Error).message.toLowerCase()).toContain('etag conflict');
};

const expectConflict = async (promise: Promise<unknown>): Promise<void> =>
  expectConflictError(await promise.then(() => undefined, (caught: unknown) => caught));

/** Registers the {@link KeyValueStore} contract tests for stores made by `open`, each with its own clock. */
export function describeKeyValueStoreContract(name: string, open: (now: () => number) => KeyValueStore): void {
  describe(`${name}: KeyValueStore contract`, () => {
    let clock: TestClock;
    let store: KeyValueStore;

    beforeEach(() => {
      clock = testClock();
      store = open(clock.now);
    });
    afterEach(() => store.close());

    it('round-trips JSON items with an eTag, Dates as ISO strings', async () => {
      await store.write({ item: { name: 'n', nested: { list: [1, 'two', null] }, when: new Date(Date.UTC(2025, 5, 1)) } });
      const read = await store.read(['item']);
      expect(read.item).toEqual({
        name: 'n', nested: { list: [1, 'two', null] }, when: '2025-06-01T00:00:00.000Z', eTag: expect.any(String),
      });
      expect(read.item.eTag).not.toBe('');
    });

    it('leaves missing keys out of a read', async () => {
      await expect(store.read(['missing'])).resolves.toEqual({});
      await store.write({ present: { v: 1 } });
      expect(Object.keys(await store.read(['missing', 'present']))).toEqual(['present']);
    });

    it('writes unconditionally without an eTag or with "*"', async () => {
      await store.write({ k: { v: 1 } });
      await store.write({ k: { v: 2 } });
      await store.write({ k: { v: 3, eTag: '*' }, fresh: { v: 4, eTag: '*' } });
      const read = await store.read(['k', 'fresh']);
      expect([read.k.v, read.fresh.v]).toEqual([3, 4]);
    });

    it('accepts the current eTag, changes it, and then refuses the old one', async () => {
      await store.write({ k: { v: 1 } });
      const first = (await store.read(['k'])).k;
      await store.write({ k: { ...first, v: 2 } });
      const second = (await store.read(['k'])).k;
      expect(second.v).toBe(2);
      expect(second.eTag).not.toBe(first.eTag);
      await expectConflict(store.write({ k: { ...first, v: 3 } }));
      expect((await store.read(['k'])).k).toEqual(second);
    });

    it('fails a whole batch with a stale eTag and writes nothing of it', async () => {
      await store.write({ stale: { v: 1 }, current: { v: 1 }, blind: { v: 1 } });
      const before = await store.read(['stale', 'current', 'blind']);
      await store.write({ stale: { ...before.stale, v: 2 } });
      const now = await store.read(['stale', 'current', 'blind']);
      await expectConflict(store.write({
        current: { ...before.current, v: 9 },
        stale: { ...before.stale, v: 9 },
        blind: { v: 9 },
        added: { v: 9 },
      }));
      expect(await store.read(['stale', 'current', 'blind', 'added'])).toEqual(now);
    });

    it('lets exactly one of two concurrent writes with the same eTag succeed', async () => {
      await store.write({ k: { v: 0 } });
      const { k } = await store.read(['k']);
      const outcomes = await Promise.allSettled([1, 2].map((v) => store.write({ k: { ...k, v } })));
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expectConflictError(rejected[0].reason);
    });

    it('treats an eTag on a missing key as a conflict', async () => {
      await expectConflict(store.write({ missing: { eTag: 'some-id' } }));
      await expect(store.read(['missing'])).resolves.toEqual({});
    });

    it('deletes keys and ignores missing ones', async () => {
      await store.write({ a: { v: 1 }, b: { v: 2 } });
      await store.delete(['a', 'never-there']);
      expect(Object.keys(await store.read(['a', 'b']))).toEqual(['b']);
    });

    it('createIfAbsent creates once, then reports the item present', async () => {
      await expect(store.createIfAbsent('once', { by: 'first' })).resolves.toBe(true);
      await expect(store.createIfAbsent('once', { by: 'second' })).resolves.toBe(false);
    });

    it('createIfAbsent with a ttl is absent again after expiry, and not before', async () => {
      await expect(store.createIfAbsent('lease', { owner: 'a' }, 60)).resolves.toBe(true);
      clock.advance(59_000);
      await expect(store.createIfAbsent('lease', { owner: 'b' }, 60)).resolves.toBe(false);
      clock.advance(1_000);
      await expect(store.createIfAbsent('lease', { owner: 'b' }, 60)).resolves.toBe(true);
      clock.advance(30_000);
      await expect(store.createIfAbsent('lease', { owner: 'c' }, 60)).resolves.toBe(false);
    });

    it('createIfAbsent without a ttl never expires', async () => {
      await expect(store.createIfAbsent('forever', {})).resolves.toBe(true);
      clock.advance(10 * 365 * 24 * 3600 * 1000);
      await expect(store.createIfAbsent('forever', {})).resolves.toBe(false);
    });

    it('delete releases a createIfAbsent item', async () => {
      await expect(store.createIfAbsent('released', {}, 600)).resolves.toBe(true);
      await store.delete(['released']);
      await expect(store.createIfAbsent('released', {}, 600)).resolves.toBe(true);
    });

    it('keeps keys with : @ ; / and non-ASCII characters apart', async () => {
      await store.write(Object.fromEntries(AWKWARD_KEYS.map((key, index) => [key, { index, text: 'héllo ключ 😀' }])));
      const read = await store.read(AWKWARD_KEYS);
      expect(AWKWARD_KEYS.map((key) => (read[key] as { index?: number } | undefined)?.index)).toEqual(AWKWARD_KEYS.map((_key, index) => index));
      expect(read[AWKWARD_KEYS[2]].text).toBe('héllo ключ 😀');
      // Other keys than the written ones: whether createIfAbsent sees items made by write is store-specific.
      const locks = AWKWARD_KEYS.map((key) => `lock/${key}`);
      for (const key of locks) await expect(store.createIfAbsent(key, {})).resolves.toBe(true);
      for (const key of locks) await expect(store.createIfAbsent(key, {})).resolves.toBe(false);
    });

    it('lets exactly one of 20 concurrent createIfAbsent calls win', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_unused, index) => store.createIfAbsent('race', { index }, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('serves as ConversationState storage', async () => {
      const turn = (): TurnContext => new TurnContext(new TestAdapter(), {
        type: ActivityTypes.Message,
        channelId: 'msteams',
        conversation: { id: AWKWARD_KEYS[0].split('/')[2], isGroup: true, conversationType: 'channel', name: 'General' },
        from: { id: '29:user', name: 'User' },
        recipient: { id: '28:bot', name: 'Bot' },
        text: 'hi',
      });
      const save = async (count: number): Promise<void> => {
        const state = new ConversationState(store);
        const context = turn();
        await state.load(context);
        await state.createProperty<{ count: number }>('counter').set(context, { count });
        await state.saveChanges(context);
      };
      await save(1);
      await save(2); // saveChanges writes eTag '*', so a second save of a stored conversation must succeed too
      const state = new ConversationState(store);
      const context = turn();
      await state.load(context);
      await expect(state.createProperty<{ count: number }>('counter').get(context)).resolves.toEqual({ count: 2 });
    });

    it('creates an ordinary item once: readable with an eTag, then updatable with that eTag only', async () => {
      await expect(store.writeIfAbsent('index', { ids: ['a'], eTag: 'ignored' })).resolves.toBe(true);
      await expect(store.writeIfAbsent('index', { ids: ['b'] })).resolves.toBe(false);
      const created = (await store.read(['index'])).index;
      expect(created).toEqual({ ids: ['a'], eTag: expect.any(String) });
      await store.write({ index: { ids: ['a', 'c'], eTag: created.eTag } });
      await expectConflict(store.write({ index: { ids: ['x'], eTag: created.eTag } }));
      expect((await store.read(['index'])).index.ids).toEqual(['a', 'c']);
    });

    it('does not replace an item made by write, and creates again after delete', async () => {
      await store.write({ k: { v: 1 } });
      await expect(store.writeIfAbsent('k', { v: 2 })).resolves.toBe(false);
      expect((await store.read(['k'])).k.v).toBe(1);
      await store.delete(['k']);
      await expect(store.writeIfAbsent('k', { v: 3 })).resolves.toBe(true);
      expect((await store.read(['k'])).k.v).toBe(3);
      clock.advance(10 * 365 * 24 * 3600 * 1000);
      expect((await store.read(['k'])).k.v).toBe(3);
    });

    it('lets exactly one of 20 concurrent calls create the item, and keeps the winner', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_unused, index) => store.writeIfAbsent('race', { index })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.read(['race'])).race.index).toBe(results.indexOf(true));
    });

    it('keeps awkward keys apart', async () => {
      for (const [index, key] of AWKWARD_KEYS.entries()) await expect(store.writeIfAbsent(key, { index })).resolves.toBe(true);
      const read = await store.read(AWKWARD_KEYS);
      expect(AWKWARD_KEYS.map((key) => (read[key] as { index?: number } | undefined)?.index)).toEqual(AWKWARD_KEYS.map((_key, index) => index));
    });
  });
}
