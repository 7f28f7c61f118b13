import type { Clock } from '../clock';
import { AppError, isAppError } from '../errors';
import { writeIfMatch, type KeyValueStore } from '../storage/keyValueStore';

/** A reviewer's choice for one item, kept until Submit sends it. */
export interface Choice {
  decision: 'Approve' | 'Deny' | 'DontKnow';
  /** The justification typed with it (required to approve when the review says so). */
  justification?: string;
}

/** One reviewer's pending choices for one instance: item id → choice. */
export interface PendingSet {
  definitionId: string;
  instanceId: string;
  choices: Record<string, Choice>;
  updatedAt: string;
}

/** Choices kept per reviewer and instance at most (a page of 10 at a time; 2,500 items is a large review). */
export const MAX_PENDING = 20_000;
const WRITE_ATTEMPTS = 5;
/** A submit whose process died frees its claim after this long. */
const CLAIM_MS = 5 * 60_000;
const ID = /^[\w.:-]{1,100}$/;

const keyOf = (userId: string, instanceId: string): string => `reviewing/pending/${userId}/${instanceId}`;
const claimKey = (userId: string, instanceId: string): string => `reviewing/submitting/${userId}/${instanceId}`;

/** Ids from Graph or a card, checked before they become storage keys or map keys. */
export const isItemId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

/**
 * Reviewers' pending choices in the bot's store (they survive restarts and are shared by replicas): one item per
 * reviewer and instance, changed by eTag-conditional writes (re-read and retried on conflict). A submit claims the
 * set first, so a double press or two replicas send it once.
 */
export class PendingChoices {
  constructor(private readonly store: KeyValueStore, private readonly clock: Clock) {}

  async get(userId: string, instanceId: string): Promise<PendingSet | undefined> {
    return (await this.readSet(userId, instanceId)).set;
  }

  /** Sets (a choice) or clears (null) each item's pending choice; returns the set as stored. */
  async change(userId: string, ref: { definitionId: string; instanceId: string }, changes: ReadonlyMap<string, Choice | null>): Promise<PendingSet> {
    if (!isItemId(ref.definitionId) || !isItemId(ref.instanceId)) throw new AppError('InvalidInput', 'That review is not one I can keep choices for.');
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const { set, eTag } = await this.readSet(userId, ref.instanceId);
      const choices: Record<string, Choice> = { ...(set?.choices ?? {}) };
      for (const [itemId, choice] of changes) {
        if (!isItemId(itemId)) continue;
        if (choice === null) delete choices[itemId];
        else choices[itemId] = choice;
      }
      if (Object.keys(choices).length > MAX_PENDING) {
        throw new AppError('InvalidInput', `You have more than ${MAX_PENDING.toLocaleString('en-US')} choices waiting: submit them first.`);
      }
      const next: PendingSet = { definitionId: ref.definitionId, instanceId: ref.instanceId, choices, updatedAt: new Date(this.clock.now()).toISOString() };
      const key = keyOf(userId, ref.instanceId);
      try {
        if (eTag === undefined) {
          if (await this.store.writeIfAbsent(key, { ...next })) return next;
          continue;
        }
        await this.store.write({ [key]: { ...next, eTag } });
        return next;
      } catch (error) {
        if (!isAppError(error, 'StorageConflict')) throw error;
      }
    }
    throw new AppError('StorageConflict', 'Your choices kept changing while I saved them. Press again in a moment.');
  }

  /**
   * Runs `send` with this reviewer's set for the instance claimed: a second claim while one runs (another press, another
   * replica) gets undefined. The claim is released when `send` ends, and expires if its process dies.
   */
  async claim<T>(userId: string, instanceId: string, send: () => Promise<T>): Promise<T | undefined> {
    const key = claimKey(userId, instanceId);
    const now = this.clock.now();
    if (!(await this.store.writeIfAbsent(key, { at: now }))) {
      const held = (await this.store.read([key]))[key] as { at?: unknown; eTag?: string } | undefined;
      const stale = held !== undefined && typeof held.at === 'number' && now - held.at > CLAIM_MS;
      if (!stale || !(await writeIfMatch(this.store, key, { at: now }, held.eTag ?? ''))) return undefined;
    }
    try {
      return await send();
    } finally {
      await this.store.delete([key]);
    }
  }

  private async readSet(userId: string, instanceId: string): Promise<{ set: PendingSet | undefined; eTag: string | undefined }> {
    const key = keyOf(userId, instanceId);
    const item = (await this.store.read([key]))[key] as (Partial<PendingSet> & { eTag?: string }) | undefined;
    if (item === undefined) return { set: undefined, eTag: undefined };
    const choices: Record<string, Choice> = {};
    for (const [itemId, choice] of Object.entries(item.choices ?? {})) {
      if (isItemId(itemId) && ['Approve', 'Deny', 'DontKnow'].includes(String((choice as Partial<Choice>).decision))) choices[itemId] = choice;
    }
    const set = typeof item.definitionId === 'string' && typeof item.instanceId === 'string'
      ? { definitionId: item.definitionId, instanceId: item.instanceId, choices, updatedAt: String(item.updatedAt ?? '') } : undefined;
    return { set, eTag: item.eTag };
  }
}
