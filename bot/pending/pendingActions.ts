import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { KeyValueStore } from '../storage/keyValueStore';

/** Where a pending action is: waiting for its owner, done (with its result), or cancelled. Done and cancelled are final. */
export type PendingState = 'pending' | 'done' | 'cancelled';

/** The user who asked (the only one who may change, cancel or confirm it). */
export interface Requester {
  id: string;
  name: string;
}

/**
 * Something a user asked for and must confirm on a card (a review draft today; stop, apply, delete, decisions
 * later). The card carries only `id` and `revision`; everything else stays here.
 */
export interface PendingAction<P, R> {
  id: string;
  /** Grows with every change; a card showing an older revision is refused and refreshed, never acted on. */
  revision: number;
  requester: Requester;
  /** The conversation where it was asked (a channel thread's `;messageid=` suffix removed). */
  conversationId: string;
  payload: P;
  state: PendingState;
  result?: R;
  createdAt: number;
  expiresAt: number;
}

/** Who presses (from the authenticated activity) and where. */
export interface Actor {
  userId: string;
  conversationId: string;
}

/** What a card's data names: untrusted, checked here. */
export interface CardRef {
  id: unknown;
  revision: unknown;
}

/** The outcome of opening an action for an actor. Only `open` may be acted on. */
export type Opened<P, R> =
  | { kind: 'open'; action: PendingAction<P, R> }
  | { kind: 'unknown' }
  | { kind: 'notYours'; owner: string }
  | { kind: 'outdated'; action: PendingAction<P, R> }
  | { kind: 'final'; action: PendingAction<P, R> }
  /** Another press of the owner (Create, Change, Cancel) is being carried out right now. */
  | { kind: 'busy'; action: PendingAction<P, R> };

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A channel conversation id names the thread too (`19:…@thread.tacv2;messageid=…`): the room is what counts. */
export const roomOf = (conversationId: string): string => conversationId.split(';')[0] ?? conversationId;

export interface PendingActionsOptions {
  /** Storage key prefix, one per kind of action (e.g. `drafts`). */
  kind: string;
  /** How long an action waits for its owner. */
  ttlSeconds: number;
  /** How long one press may hold the action (a crashed press frees it again). */
  claimSeconds: number;
  /** The bot's clock (expiry is judged by it). */
  clock: Clock;
}

/**
 * Confirm-then-act, with its ownership rules built in, so every handler inherits them: an action belongs to the
 * user who asked, in the conversation where it was asked; only they may change, cancel or confirm it; each
 * change makes a new revision the card must carry; done and cancelled are final. Acting claims the action
 * once (create-if-absent in shared storage), so a second press or a second replica never acts twice.
 */
export class PendingActions<P, R> {
  constructor(private readonly store: KeyValueStore, private readonly options: PendingActionsOptions) {}

  private now(): number {
    return this.options.clock.now();
  }

  private key(id: string): string {
    return `${this.options.kind}/${id}`;
  }

  private claimKey(id: string): string {
    return `${this.options.kind}-claims/${id}`;
  }

  /** A new action at revision 1, owned by `requester` in `conversationId`. */
  async start(requester: Requester, conversationId: string, payload: P): Promise<PendingAction<P, R>> {
    const now = this.now();
    const action: PendingAction<P, R> = {
      id: randomUUID(), revision: 1, requester, conversationId: roomOf(conversationId), payload, state: 'pending',
      createdAt: now, expiresAt: now + this.options.ttlSeconds * 1000,
    };
    await this.store.write({ [this.key(action.id)]: { ...action, eTag: '*' } });
    return action;
  }

  /** The action a card names, judged for the actor pressing it (see {@link Opened}). */
  async open(ref: CardRef, actor: Actor): Promise<Opened<P, R>> {
    const action = await this.read(ref.id);
    const refusal = refusalFor(action, actor);
    if (refusal || !action) return refusal ?? { kind: 'unknown' };
    if (revisionOf(ref.revision) !== action.revision) return { kind: 'outdated', action };
    return { kind: 'open', action };
  }

  /**
   * Replaces the payload as a new revision, for its owner only and only while it is pending. Holds the claim
   * meanwhile, so a change cannot slip in while a confirmation is being acted on.
   */
  async revise(id: string, actor: Actor, payload: P): Promise<Opened<P, R>> {
    const action = await this.read(id);
    const refusal = refusalFor(action, actor);
    if (refusal || !action) return refusal ?? { kind: 'unknown' };
    return this.whileClaimed(action, async (current) => {
      const revised: PendingAction<P, R> = { ...current, payload, revision: current.revision + 1 };
      await this.store.write({ [this.key(id)]: { ...revised, eTag: '*' } });
      return { kind: 'open', action: revised };
    });
  }

  /** Marks the action cancelled (final), unless a press is acting on it right now. */
  cancel(action: PendingAction<P, R>): Promise<Opened<P, R>> {
    return this.whileClaimed(action, async (current) => {
      const cancelled: PendingAction<P, R> = { ...current, state: 'cancelled' };
      await this.store.write({ [this.key(action.id)]: { ...cancelled, eTag: '*' } });
      return { kind: 'final', action: cancelled };
    });
  }

  /** True for the one press that may act on this action; false while another holds it. */
  claim(action: PendingAction<P, R>): Promise<boolean> {
    return this.store.createIfAbsent(this.claimKey(action.id), { at: this.now() }, this.options.claimSeconds);
  }

  /** Frees the claim after acting failed, so the owner can press again. */
  async release(action: PendingAction<P, R>): Promise<void> {
    await this.store.delete([this.claimKey(action.id)]);
  }

  /** Records the result (final). Called by the press that holds the claim. */
  async finish(action: PendingAction<P, R>, result: R): Promise<PendingAction<P, R>> {
    const done: PendingAction<P, R> = { ...action, state: 'done', result };
    await this.store.write({ [this.key(action.id)]: { ...done, eTag: '*' } });
    return done;
  }

  /** Claims, re-reads (the action may have changed since it was opened), runs `work` on a pending action, releases. */
  private async whileClaimed(action: PendingAction<P, R>, work: (current: PendingAction<P, R>) => Promise<Opened<P, R>>): Promise<Opened<P, R>> {
    if (!(await this.claim(action))) return { kind: 'busy', action };
    try {
      const current = await this.read(action.id);
      if (!current) return { kind: 'unknown' };
      if (current.state !== 'pending') return { kind: 'final', action: current };
      return await work(current);
    } finally {
      await this.release(action);
    }
  }

  private async read(id: unknown): Promise<PendingAction<P, R> | undefined> {
    if (typeof id !== 'string' || !ID.test(id)) return undefined;
    const items = await this.store.read([this.key(id)]);
    const item = items[this.key(id)] as (PendingAction<P, R> & { eTag?: string }) | undefined;
    if (!item || item.expiresAt <= this.now()) return undefined;
    const { eTag: _eTag, ...action } = item;
    return action;
  }
}

/** Why `actor` may not touch `action` at all: unknown (or expired), someone else's, or final. */
function refusalFor<P, R>(action: PendingAction<P, R> | undefined, actor: Actor): Opened<P, R> | undefined {
  if (!action) return { kind: 'unknown' };
  if (action.requester.id !== actor.userId || action.conversationId !== roomOf(actor.conversationId)) {
    return { kind: 'notYours', owner: action.requester.name };
  }
  return action.state === 'pending' ? undefined : { kind: 'final', action };
}

/** A card's revision: a positive integer (as a number or a numeric string), else none. */
function revisionOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(number) && number > 0 ? number : undefined;
}
