import type { Storage } from 'botbuilder';
import { isAppError } from '../errors';

/**
 * botbuilder `Storage` (bot and dialog state) plus the one primitive the bot needs beyond it:
 * create-if-absent, for de-duplicating SSO token exchanges, and for shared indexes and leases.
 *
 * eTag semantics of `write`: an item without `eTag` or with `eTag: '*'` is written unconditionally; any other
 * eTag must equal the stored one (a missing item never matches), otherwise the whole write fails with
 * AppError('StorageConflict') and nothing is changed. `read` returns each item with its current eTag.
 */
export interface KeyValueStore extends Storage {
  /**
   * Stores `item` under `key` only when no live item is there; true when this call created it.
   * With `ttlSeconds`, the item expires (and counts as absent) after that time.
   */
  createIfAbsent(key: string, item: Record<string, unknown>, ttlSeconds?: number): Promise<boolean>;
  /**
   * Stores `item` as an ordinary item (returned by `read` with its eTag, updatable by `write` with that eTag,
   * removed by `delete`) only when `key` holds no live item; true when this call created it. What shared indexes and
   * lease records need when several processes may create them at once; unlike createIfAbsent, whose items may live
   * apart from ordinary ones (they do on Blob Storage) and cannot be renewed.
   */
  writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean>;
  /** Releases resources (closes the database file). */
  close(): Promise<void>;
}


/** One conditional write of `item` over `eTag`; false when the eTag no longer matches (another writer changed it first). */
export async function writeIfMatch(store: Pick<KeyValueStore, 'write'>, key: string, item: object, eTag: string): Promise<boolean> {
  try {
    await store.write({ [key]: { ...item, eTag } });
    return true;
  } catch (error) {
    if (isAppError(error, 'StorageConflict')) return false;
    throw error;
  }
}
