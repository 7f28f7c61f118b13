import { randomUUID } from 'node:crypto';
import { isoNow, type Clock } from '../clock';
import { conversationKeyOf } from '../conversations';
import { AppError, isAppError } from '../errors';
import type { KeyValueStore } from '../storage/keyValueStore';
import { describeCadence, isCadence, type Cadence } from './schedule';

/** What a digest covers: every review the app identity can read, or one review definition. */
export type DigestTarget = { kind: 'all' } | { kind: 'review'; definitionId: string; name: string };

/** Who created a subscription (Teams/Entra user id and display name at the time). */
export interface Subscriber {
  id: string;
  name: string;
}

/** A channel's standing request for digests. */
export interface Subscription {
  id: string;
  /** The channel (a reply thread's id is kept as its channel's). */
  conversationId: string;
  teamId: string | undefined;
  /** The team's group (its Microsoft 365 group): a digest of `all` covers only that group's reviews, as `summary all` in the channel. */
  groupId?: string;
  target: DigestTarget;
  cadence: Cadence;
  createdBy: Subscriber;
  /** ISO instant, from the injected clock. */
  createdAt: string;
  /** Set while posting to the conversation is suspended (the connector refused it); the scheduler skips it. */
  suspended?: boolean;
  /** A recurring review's run whose final card is out: later periods stay quiet until the next run starts. */
  finalRunId?: string;
}

export type NewSubscription = Omit<Subscription, 'id' | 'createdAt' | 'suspended' | 'finalRunId'>;

/** Bounds, so the one index item stays small enough to read on every scheduler tick (about 0.5 KB a subscription). */
export const MAX_SUBSCRIPTIONS_PER_CONVERSATION = 20;
export const MAX_SUBSCRIPTIONS = 1000;

/** The one item holding every subscription: the store has no query, and the scheduler needs them all anyway. */
export const SUBSCRIPTIONS_KEY = 'digests/subscriptions';

interface Index {
  subscriptions: Subscription[];
}

/**
 * Each attempt that loses an eTag race does so because another writer's change landed, so retrying at once always
 * makes progress; the bound only stops a pathological storm (many replicas changing subscriptions at once).
 */
const WRITE_ATTEMPTS = 32;

const sameTarget = (a: DigestTarget, b: DigestTarget): boolean =>
  a.kind === b.kind && (a.kind === 'all' || (b.kind === 'review' && a.definitionId === b.definitionId));

export const describeTarget = (target: DigestTarget): string => (target.kind === 'all' ? 'all reviews' : `"${target.name}"`);

function isSubscription(value: unknown): value is Subscription {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const target = s.target as Record<string, unknown> | null | undefined;
  const by = s.createdBy as Record<string, unknown> | null | undefined;
  return typeof s.id === 'string' && typeof s.conversationId === 'string' && typeof s.createdAt === 'string'
    && typeof target === 'object' && target !== null
    && (target.kind === 'all' || (target.kind === 'review' && typeof target.definitionId === 'string' && typeof target.name === 'string'))
    && typeof by === 'object' && by !== null && typeof by.id === 'string' && typeof by.name === 'string'
    && isCadence(s.cadence);
}

/**
 * Digest subscriptions in a {@link KeyValueStore}, shared by every bot process on that store: one index item
 * changed only by eTag-conditional writes (created by writeIfAbsent), re-read and retried on StorageConflict, so
 * concurrent changes from several replicas all land. Who may create or remove a subscription is the caller's
 * decision (the subscriber's own token must read the review; the subscriber or an admin may remove it).
 */
export class SubscriptionStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Every subscription (malformed records, from a newer or broken writer, are left out rather than fatal). */
  async listAll(): Promise<Subscription[]> {
    return (await this.readIndex()).subscriptions;
  }

  async listByConversation(conversationId: string): Promise<Subscription[]> {
    const id = conversationKeyOf(conversationId);
    return (await this.listAll()).filter((subscription) => subscription.conversationId === id);
  }

  async get(id: string): Promise<Subscription | undefined> {
    return (await this.listAll()).find((subscription) => subscription.id === id);
  }

  /**
   * Adds a subscription; AppError('InvalidInput') when the channel already has one for that target, or a bound
   * is reached (the message says which, for the user).
   */
  async create(input: NewSubscription): Promise<Subscription> {
    const subscription: Subscription = {
      ...input,
      conversationId: conversationKeyOf(input.conversationId),
      id: this.newId(),
      createdAt: isoNow(this.clock),
    };
    await this.update((all) => {
      const here = all.filter((other) => other.conversationId === subscription.conversationId);
      const twin = here.find((other) => sameTarget(other.target, subscription.target));
      if (twin !== undefined) {
        throw new AppError('InvalidInput', `This channel already gets digests of ${describeTarget(twin.target)} ${describeCadence(twin.cadence)}. Unsubscribe first to change that.`);
      }
      if (here.length >= MAX_SUBSCRIPTIONS_PER_CONVERSATION) {
        throw new AppError('InvalidInput', `A channel can have at most ${MAX_SUBSCRIPTIONS_PER_CONVERSATION} digest subscriptions; this one has ${here.length}. Unsubscribe from one first.`);
      }
      if (all.length >= MAX_SUBSCRIPTIONS) {
        throw new AppError('InvalidInput', `The bot already serves its maximum of ${MAX_SUBSCRIPTIONS} digest subscriptions. Ask an administrator to remove unused ones.`);
      }
      return [...all, subscription];
    });
    return subscription;
  }

  /** Removes one subscription; returns it, or undefined when it was not there (already removed: not an error). */
  async remove(id: string): Promise<Subscription | undefined> {
    let removed: Subscription | undefined;
    await this.update((all) => {
      removed = all.find((subscription) => subscription.id === id);
      return removed === undefined ? undefined : all.filter((subscription) => subscription.id !== id);
    });
    return removed;
  }

  /** Removes every subscription of a conversation (the app was removed from it); returns them. */
  async removeByConversation(conversationId: string): Promise<Subscription[]> {
    const key = conversationKeyOf(conversationId);
    let removed: Subscription[] = [];
    await this.update((all) => {
      removed = all.filter((subscription) => subscription.conversationId === key);
      return removed.length === 0 ? undefined : all.filter((subscription) => subscription.conversationId !== key);
    });
    return removed;
  }

  /** Records that the final card of `runId` (an ended run of a recurring review) is out; false when the subscription is gone. */
  async markFinalRun(id: string, runId: string): Promise<boolean> {
    let found = false;
    await this.update((all) => {
      const subscription = all.find((candidate) => candidate.id === id);
      found = subscription !== undefined;
      if (subscription === undefined || subscription.finalRunId === runId) return undefined;
      return all.map((candidate) => (candidate.id === id ? { ...candidate, finalRunId: runId } : candidate));
    });
    return found;
  }

  /** Suspends (or resumes) every subscription of a conversation; returns how many changed. */
  async setSuspended(conversationId: string, suspended: boolean): Promise<number> {
    const key = conversationKeyOf(conversationId);
    let changed = 0;
    await this.update((all) => {
      changed = all.filter((s) => s.conversationId === key && (s.suspended === true) !== suspended).length;
      if (changed === 0) return undefined;
      return all.map((s) => {
        if (s.conversationId !== key) return s;
        const { suspended: _old, ...rest } = s;
        return suspended ? { ...rest, suspended: true } : rest;
      });
    });
    return changed;
  }

  private async readIndex(): Promise<{ subscriptions: Subscription[]; eTag: string | undefined }> {
    const item = (await this.store.read([SUBSCRIPTIONS_KEY]))[SUBSCRIPTIONS_KEY] as (Partial<Index> & { eTag?: string }) | undefined;
    const list: unknown[] = Array.isArray(item?.subscriptions) ? item.subscriptions : [];
    return { subscriptions: list.filter(isSubscription), eTag: item?.eTag };
  }

  /**
   * Applies `change` to the list (undefined: nothing to change; a throw aborts) and writes it conditionally:
   * a first index only if still absent, later ones only over the eTag read. Lost races re-read and re-apply.
   */
  private async update(change: (all: Subscription[]) => Subscription[] | undefined): Promise<void> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const { subscriptions, eTag } = await this.readIndex();
      const next = change(subscriptions);
      if (next === undefined) return;
      const index: Index = { subscriptions: next };
      if (eTag === undefined) {
        if (await this.store.writeIfAbsent(SUBSCRIPTIONS_KEY, { ...index })) return;
        continue;
      }
      try {
        await this.store.write({ [SUBSCRIPTIONS_KEY]: { ...index, eTag } });
        return;
      } catch (error) {
        if (!isAppError(error, 'StorageConflict')) throw error;
      }
    }
    throw new AppError('StorageConflict', 'The digest subscriptions kept changing while I tried to save yours. Try again in a moment.', {
      cause: new Error(`${SUBSCRIPTIONS_KEY}: ${WRITE_ATTEMPTS} eTag conflicts in a row`),
    });
  }
}
