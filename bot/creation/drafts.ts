import type { ScopeCounts } from '../../reviews/impact';
import type { ReviewSettings } from '../../reviews/settings';
import { PendingActions, type PendingAction } from '../pending/pendingActions';
import type { Clock } from '../clock';
import type { KeyValueStore } from '../storage/keyValueStore';

/** What a confirmation card shows: the settings and the impact counts read when it was made. */
export interface DraftPayload {
  settings: ReviewSettings;
  counts: ScopeCounts;
}

/** The review Graph created for a draft (shown again to a second press). */
export interface CreatedReview {
  definitionId: string;
  name: string;
  /** Graph's status when it was created (said in words when shown). */
  status: string;
  /** The first run's day, as display text (kept for results stored before `startDate`). */
  firstRun: string;
  /** The first run's day, YYYY-MM-DD: the card says "starts within minutes" or "scheduled" from it. */
  startDate?: string;
}

/** A review waiting on its confirmation card: a pending action owned by its requester. */
export type ReviewDraft = PendingAction<DraftPayload, CreatedReview>;
export type DraftStore = PendingActions<DraftPayload, CreatedReview>;

/** Drafts expire a week after the confirmation card was sent. */
const DRAFT_SECONDS = 7 * 24 * 3600;
/** A Create press holds the draft this long at most (a crashed create frees it again). */
const CLAIM_SECONDS = 10 * 60;

/**
 * Drafts in shared storage, so a confirmation card works whichever replica receives its button, and a second
 * press of Create finds the first one's claim instead of creating the review twice.
 */
export const createDraftStore = (store: KeyValueStore, clock: Clock): DraftStore =>
  new PendingActions<DraftPayload, CreatedReview>(store, { kind: 'drafts', ttlSeconds: DRAFT_SECONDS, claimSeconds: CLAIM_SECONDS, clock });
