import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { StoreItems } from 'botbuilder';
import { AppError } from '../errors';
import type { KeyValueStore } from './keyValueStore';

/** Options for {@link SqliteStorage}. */
export interface SqliteStorageOptions {
  /** Milliseconds since the epoch; injectable so tests can drive expiry without waiting. */
  now?: () => number;
}

interface Row {
  etag: string;
  value: string;
}

/** Expired rows are swept at most this often, so dedup keys (unique per SSO exchange) do not pile up forever. */
const PURGE_INTERVAL_MS = 60_000;

/** Resolves with `fn()` or rejects with what it threw: better-sqlite3 is synchronous, the Storage API is not. */
const settle = <T>(fn: () => T): Promise<T> => new Promise((resolve) => resolve(fn()));

/** Separates the eTag (kept in its own column) from the data stored as JSON. */
function splitItem(item: unknown): { eTag: unknown; json: string } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { eTag: undefined, json: JSON.stringify(item ?? null) };
  const { eTag, ...data } = item as Record<string, unknown>;
  return { eTag, json: JSON.stringify(data) };
}

const conflict = (key: string): AppError =>
  new AppError('StorageConflict', 'The item changed since it was read (eTag conflict).', {
    cause: new Error(`eTag mismatch for storage key ${JSON.stringify(key)}`),
  });

/** {@link KeyValueStore} in one embedded SQLite table: the default store, no service to run. */
export class SqliteStorage implements KeyValueStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private lastPurge = Number.NEGATIVE_INFINITY;
  private readonly selectLive: Database.Statement<[string, number], Row>;
  private readonly upsert: Database.Statement<[string, string, string, number | null]>;
  private readonly insertIfAbsent: Database.Statement<[string, string, string, number | null, number]>;
  private readonly deleteKey: Database.Statement<[string]>;
  private readonly purgeExpired: Database.Statement<[number]>;
  private readonly writeAll: (changes: StoreItems) => void;

  /** Opens (creating if needed, directory included) the database `file`; ':memory:' for a throwaway store. */
  constructor(file: string, options: SqliteStorageOptions = {}) {
    this.now = options.now ?? Date.now;
    if (file !== ':memory:' && file !== '') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // WAL lets a reader (a second process, a backup) run while the bot writes.
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS items (
      key TEXT PRIMARY KEY NOT NULL,
      etag TEXT NOT NULL,
      value TEXT NOT NULL,
      expires_at INTEGER NULL
    );
    CREATE INDEX IF NOT EXISTS items_expires_at ON items (expires_at) WHERE expires_at IS NOT NULL;`);

    this.selectLive = this.db.prepare<[string, number], Row>(
      'SELECT etag, value FROM items WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
    );
    this.upsert = this.db.prepare<[string, string, string, number | null]>(
      `INSERT INTO items (key, etag, value, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, expires_at = excluded.expires_at`,
    );
    // One statement, so the check and the create cannot interleave with another writer: an existing row is
    // only replaced when it has expired, and `changes` tells whether this call created the item.
    this.insertIfAbsent = this.db.prepare<[string, string, string, number | null, number]>(
      `INSERT INTO items (key, etag, value, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, expires_at = excluded.expires_at
       WHERE items.expires_at IS NOT NULL AND items.expires_at <= ?`,
    );
    this.deleteKey = this.db.prepare<[string]>('DELETE FROM items WHERE key = ?');
    this.purgeExpired = this.db.prepare<[number]>('DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at <= ?');

    // All checks run before any row is touched, and the transaction rolls back on the throw anyway.
    this.writeAll = this.db.transaction((changes: StoreItems) => {
      const now = this.now();
      const rows = Object.entries(changes).map(([key, item]) => {
        const { eTag, json } = splitItem(item);
        if (typeof eTag === 'string' && eTag !== '' && eTag !== '*' && this.selectLive.get(key, now)?.etag !== eTag) {
          throw conflict(key);
        }
        return { key, json };
      });
      for (const { key, json } of rows) this.upsert.run(key, randomUUID(), json, null);
    });
  }

  /** Returns the live items among `keys`, each with its current eTag; missing and expired keys are left out. */
  read(keys: string[]): Promise<StoreItems> {
    return settle(() => {
      const now = this.now();
      const items: StoreItems = {};
      for (const key of keys) {
        const row = this.selectLive.get(key, now);
        if (row) items[key] = { ...(JSON.parse(row.value) as Record<string, unknown>), eTag: row.etag };
      }
      return items;
    });
  }

  /** Writes all `changes` or none of them (eTag rules in {@link KeyValueStore}); every written item gets a new eTag. */
  write(changes: StoreItems): Promise<void> {
    return settle(() => this.writeAll(changes));
  }

  /** Removes `keys` (missing ones are ignored), including items made by {@link createIfAbsent}. */
  delete(keys: string[]): Promise<void> {
    return settle(() => {
      this.db.transaction(() => {
        for (const key of keys) this.deleteKey.run(key);
      })();
    });
  }

  /** Creates `item` under `key` unless a live item is there; an expired one is replaced. */
  createIfAbsent(key: string, item: Record<string, unknown>, ttlSeconds?: number): Promise<boolean> {
    return settle(() => {
      const now = this.now();
      if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
        this.purgeExpired.run(now);
        this.lastPurge = now;
      }
      const expiresAt = ttlSeconds === undefined ? null : now + Math.round(ttlSeconds * 1000);
      return this.insertIfAbsent.run(key, randomUUID(), splitItem(item).json, expiresAt, now).changes === 1;
    });
  }

  /** Creates an ordinary item (no expiry) unless a live item is there; the same row kind `write` makes. */
  writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    return settle(() => this.insertIfAbsent.run(key, randomUUID(), splitItem(item).json, null, this.now()).changes === 1);
  }

  /** Closes the database; safe to call twice. */
  close(): Promise<void> {
    return settle(() => {
      if (this.db.open) this.db.close();
    });
  }
}
