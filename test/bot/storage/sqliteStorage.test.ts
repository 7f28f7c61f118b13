import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../../bot/storage/sqliteStorage';
import { AWKWARD_KEYS, describeKeyValueStoreContract, testClock } from './storageContract';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'sqlite-storage-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeKeyValueStoreContract('SqliteStorage :memory:', (now) => new SqliteStorage(':memory:', { now }));

let fileCount = 0;
describeKeyValueStoreContract('SqliteStorage file', (now) => new SqliteStorage(join(directory, `contract-${++fileCount}.db`), { now }));

describe('SqliteStorage', () => {
  it('creates the directory, uses WAL, and keeps items (eTags and expiry included) across close and reopen', async () => {
    const file = join(directory, 'nested', 'deeper', 'state.db');
    const clock = testClock();
    const first = new SqliteStorage(file, { now: clock.now });
    await first.write(Object.fromEntries(AWKWARD_KEYS.map((key) => [key, { key }])));
    await first.createIfAbsent('lease', { owner: 'a' }, 60);
    const written = await first.read(AWKWARD_KEYS);
    await first.close();
    await first.close();

    const inspect = new Database(file, { readonly: true });
    expect(inspect.pragma('journal_mode', { simple: true })).toBe('wal');
    inspect.close();

    const second = new SqliteStorage(file, { now: clock.now });
    await expect(second.read(AWKWARD_KEYS)).resolves.toEqual(written);
    await expect(second.createIfAbsent('lease', { owner: 'b' }, 60)).resolves.toBe(false);
    clock.advance(60_000);
    await expect(second.createIfAbsent('lease', { owner: 'b' }, 60)).resolves.toBe(true);
    await second.close();
  });

  it('returns a createIfAbsent item from read until it expires', async () => {
    const clock = testClock();
    const store = new SqliteStorage(':memory:', { now: clock.now });
    await store.createIfAbsent('dedup', { exchangeId: 'x', eTag: 'ignored' }, 10);
    await expect(store.read(['dedup'])).resolves.toEqual({ dedup: { exchangeId: 'x', eTag: expect.any(String) } });
    clock.advance(10_000);
    await expect(store.read(['dedup'])).resolves.toEqual({});
    await expect(store.write({ dedup: { eTag: 'anything' } })).rejects.toMatchObject({ code: 'StorageConflict' });
    await store.close();
  });

  it('sweeps expired items so one-off dedup keys do not pile up', async () => {
    const file = join(directory, 'sweep.db');
    const clock = testClock();
    const store = new SqliteStorage(file, { now: clock.now });
    for (let index = 0; index < 5; index += 1) await store.createIfAbsent(`exchange-${index}`, {}, 1);
    clock.advance(120_000);
    await store.createIfAbsent('next', {}, 1);
    await store.close();
    const inspect = new Database(file, { readonly: true });
    expect(inspect.prepare('SELECT key FROM items').pluck().all()).toEqual(['next']);
    inspect.close();
  });
});
