import { createHash } from 'node:crypto';
import { ContainerClient, type BlockBlobClient } from '@azure/storage-blob';
import type { StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { AppError } from '../errors';
import type { KeyValueStore } from './keyValueStore';

/** Options for {@link BlobKeyValueStore}. */
export interface BlobKeyValueStoreOptions {
  /** Milliseconds since the epoch; injectable so tests can drive lock expiry without waiting. */
  now?: () => number;
}

/** Metadata names must be C# identifiers and come back lower-cased, so lower case from the start. */
const EXPIRES_AT = 'expiresat';
const CONFLICT_MESSAGE = 'The item changed since it was read (eTag conflict).';

/**
 * Blob name of a createIfAbsent item. BlobsStorage URI-encodes its keys (a '/' becomes %2F), so no name it makes
 * contains a literal '/' and the `locks/` prefix can never collide with state. Over-long keys, and names Azure
 * advises against (empty, trailing dot), are hashed instead, under their own sub-prefix.
 */
function lockName(key: string): string {
  const encoded = encodeURIComponent(key);
  if (encoded !== '' && encoded.length <= 900 && !encoded.endsWith('.')) return `locks/k/${encoded}`;
  return `locks/h/${createHash('sha256').update(key).digest('hex')}`;
}

const statusOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : undefined;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The eTag that makes a write conditional, or undefined for an unconditional one (none, '', '*'). */
function conditionOf(item: unknown): string | undefined {
  const eTag = isRecord(item) ? item.eTag : undefined;
  return typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : undefined;
}

const conflict = (cause: unknown): AppError => new AppError('StorageConflict', CONFLICT_MESSAGE, { cause });

/**
 * BlobsStorage signals a 412 only by a plain Error whose text says "eTag conflict" (no code, no status), so its
 * text is the one marker there is; botbuilder's own SSO dedup middleware matches the same words.
 */
function translate(error: unknown): never {
  if (error instanceof Error && /etag conflict/i.test(error.message)) throw conflict(error);
  throw error;
}

/**
 * {@link KeyValueStore} on Azure Blob Storage: state through botbuilder's BlobsStorage, create-if-absent through
 * `If-None-Match: *` on blobs of its own (BlobsStorage sends `If-Match` to a missing blob and gets 412, which is
 * why SSO de-duplication must not go through `write`).
 *
 * Where BlobsStorage differs from the interface, and what this class does about it:
 * - A write with a non-'*' eTag to a missing key: a conflict in both (verified on Azurite 3.35), nothing to do.
 * - Conflicts: a plain Error there; an AppError('StorageConflict') here.
 * - Batches: BlobsStorage uploads every item in parallel, so one stale eTag still lets the others land. Here all
 *   eTags are checked first and nothing is uploaded if one is stale; then the conditional items go (each still
 *   guarded by `If-Match`), and the unconditional ones only after they all succeeded. Blob Storage has no
 *   multi-blob transaction, so a writer racing between the check and the upload can still leave a batch half
 *   written; bot state writes one key per turn (always `*`), so this matters only to multi-key callers.
 * - Keys: BlobsStorage collapses empty path segments and truncates at 1024 characters, so 'a//b' and 'a/b' (or two
 *   long keys with one prefix) share a blob. Teams keys never look like that; the SQLite store has no such limit.
 * - `read` does not see createIfAbsent items (they live under `locks/`; writeIfAbsent makes ordinary ones);
 *   `delete` does remove them, so a lease can be released early in both stores alike. Expired lock blobs are only replaced, never swept: give the
 *   container a lifecycle rule on the `locks/` prefix in production.
 */
export class BlobKeyValueStore implements KeyValueStore {
  private readonly blobs: BlobsStorage;
  private readonly container: ContainerClient;
  private readonly now: () => number;
  private ready: Promise<unknown> | undefined;

  /** A store in `container` (created on first use) of the account in `connectionString`. */
  constructor(connectionString: string, container: string, options: BlobKeyValueStoreOptions = {}) {
    this.blobs = new BlobsStorage(connectionString, container);
    this.container = new ContainerClient(connectionString, container);
    this.now = options.now ?? Date.now;
  }

  /** Returns the existing items among `keys`, each with its current eTag. */
  read(keys: string[]): Promise<StoreItems> {
    return this.blobs.read(keys);
  }

  /** Writes `changes` with the eTag rules of {@link KeyValueStore}; a stale eTag uploads nothing. */
  async write(changes: StoreItems): Promise<void> {
    const conditional: StoreItems = {};
    const unconditional: StoreItems = {};
    for (const [key, item] of Object.entries(changes) as [string, unknown][]) {
      if (conditionOf(item) === undefined) unconditional[key] = item;
      else conditional[key] = item;
    }
    const checked = Object.keys(conditional);
    if (checked.length > 0) {
      const current = (await this.blobs.read(checked)) as Record<string, unknown>;
      for (const key of checked) {
        if (conditionOf(current[key]) !== conditionOf(conditional[key])) {
          throw conflict(new Error(`eTag mismatch for storage key ${JSON.stringify(key)}`));
        }
      }
      await this.blobs.write(conditional).catch(translate);
    }
    if (Object.keys(unconditional).length > 0) await this.blobs.write(unconditional).catch(translate);
  }

  /** Removes `keys` (missing ones are ignored), including items made by {@link createIfAbsent}. */
  async delete(keys: string[]): Promise<void> {
    await this.ensureContainer();
    await Promise.all([
      this.blobs.delete(keys),
      ...keys.map((key) => this.container.getBlockBlobClient(lockName(key)).deleteIfExists()),
    ]);
  }

  /** Creates `item` under `key` unless a live item is there; an expired one is replaced. */
  async createIfAbsent(key: string, item: Record<string, unknown>, ttlSeconds?: number): Promise<boolean> {
    await this.ensureContainer();
    const blob = this.container.getBlockBlobClient(lockName(key));
    if (await this.tryCreate(blob, item, ttlSeconds)) return true;
    // The service alone decides who creates; an expired blob only earns one more attempt, which it decides too.
    if (!(await this.deleteIfExpired(blob))) return false;
    return this.tryCreate(blob, item, ttlSeconds);
  }

  /**
   * Creates an ordinary item unless its blob exists: the blob name and JSON body BlobsStorage itself uses (so `read`
   * and eTag writes see it), uploaded with `If-None-Match: *` so the service alone decides who creates it.
   */
  async writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    await this.ensureContainer();
    return this.tryCreate(this.container.getBlockBlobClient(sanitizeBlobKey(key)), item);
  }

  /** Nothing to release: the clients hold no connections between calls. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private ensureContainer(): Promise<unknown> {
    // A failed creation is forgotten, so a transient error at start-up does not poison every later call.
    this.ready ??= this.container.createIfNotExists().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async tryCreate(blob: BlockBlobClient, item: Record<string, unknown>, ttlSeconds?: number): Promise<boolean> {
    const { eTag: _ignored, ...data } = item;
    const body = JSON.stringify(data);
    const metadata = ttlSeconds === undefined ? undefined : { [EXPIRES_AT]: String(this.now() + Math.round(ttlSeconds * 1000)) };
    try {
      await blob.upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        metadata,
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (error) {
      // 409 BlobAlreadyExists from Azure and Azurite; 412 is what some proxies and older API versions answer.
      if (statusOf(error) === 409 || statusOf(error) === 412) return false;
      throw error;
    }
  }

  /** True when the blob is gone now (deleted here as expired, or by someone else); false while it is live. */
  private async deleteIfExpired(blob: BlockBlobClient): Promise<boolean> {
    let expiresAt: number;
    let etag: string | undefined;
    try {
      const properties = await blob.getProperties();
      expiresAt = Number(properties.metadata?.[EXPIRES_AT]);
      etag = properties.etag;
    } catch (error) {
      if (statusOf(error) === 404) return true;
      throw error;
    }
    if (!Number.isFinite(expiresAt) || expiresAt > this.now()) return false;
    try {
      // If-Match, so a lock another caller has just re-created after expiry is not deleted by mistake.
      await blob.delete({ conditions: { ifMatch: etag } });
    } catch (error) {
      if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
    }
    return true;
  }
}
