import { randomUUID } from 'node:crypto';
import type { ReviewSettings } from '../../reviews/settings';
import type { KeyValueStore } from '../storage/keyValueStore';

/** A review waiting on its confirmation card: the card carries only its id, the settings stay here. */
export interface Draft {
  id: string;
  settings: ReviewSettings;
  requesterId: string;
  conversationId: string;
  createdAt: string;
  status: 'open' | 'created' | 'cancelled';
  created?: { definitionId: string; name: string; status: string; firstRun: string };
}

/** Drafts expire a week after the confirmation card was sent. */
const DRAFT_SECONDS = 7 * 24 * 3600;
/** A Create press holds the draft this long at most (a crashed create frees it again). */
const CLAIM_SECONDS = 10 * 60;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Drafts in shared storage, so a confirmation card works whichever replica receives its button, and a second
 * press of Create finds the first one's claim (create-if-absent) instead of creating the review twice.
 */
export class DraftStore {
  constructor(private readonly store: KeyValueStore) {}

  private static key(id: string): string {
    return `drafts/${id}`;
  }

  newId(): string {
    return randomUUID();
  }

  async save(draft: Draft): Promise<void> {
    await this.store.write({ [DraftStore.key(draft.id)]: { ...draft, expiresAt: Date.now() + DRAFT_SECONDS * 1000, eTag: '*' } });
  }

  /** The draft behind a card's id; undefined for unknown, malformed (untrusted card data) or expired ids. */
  async get(id: unknown): Promise<Draft | undefined> {
    if (typeof id !== 'string' || !ID.test(id)) return undefined;
    const item = (await this.store.read([DraftStore.key(id)]))[DraftStore.key(id)] as (Draft & { expiresAt?: number }) | undefined;
    if (!item || (item.expiresAt ?? 0) < Date.now()) return undefined;
    return item;
  }

  /** True for the one press that may create this draft's review; false while another press holds it. */
  claim(id: string): Promise<boolean> {
    return this.store.createIfAbsent(`draft-claims/${id}`, { at: new Date().toISOString() }, CLAIM_SECONDS);
  }

  /** Frees the claim after a failed create, so the user can press Create again. */
  async release(id: string): Promise<void> {
    await this.store.delete([`draft-claims/${id}`]);
  }
}
