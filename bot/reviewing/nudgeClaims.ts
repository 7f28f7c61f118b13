import { randomUUID } from 'node:crypto';
import type { NudgeKind } from '../../cards/nudge';
import { isoNow, type Clock } from '../clock';
import type { Logger } from '../logger';
import { writeIfMatch, type KeyValueStore } from '../storage/keyValueStore';

/** A claim not settled within this (its holder died while posting) may be taken over by another process. */
export const NUDGE_CLAIM_MS = 5 * 60_000;

/** The record of one nudge: who claimed it until when, then what happened (posted, or failed for good). */
export interface NudgeRecord {
  definitionId: string;
  instanceId: string;
  kind: NudgeKind;
  reviewerId: string;
  holder: string;
  token: string;
  claimedAt: string;
  /** Milliseconds since the epoch (the claimant's clock): past it, an unsettled claim may be taken over. */
  expiresAt: number;
  outcome?: 'posted' | 'failed';
  activityId?: string;
  /** Why the post failed (ProactiveSendError reason or error code); never retried. */
  reason?: string;
  settledAt?: string;
}

export const nudgeKey = (instanceId: string, kind: NudgeKind, reviewerId: string): string =>
  `reviewing/nudges/${instanceId}/${kind}/${reviewerId.toLowerCase()}`;

/** A record as read, with its eTag (for a conditional write over it). */
export type StoredNudge = NudgeRecord & { eTag?: string };

/** A claim this process holds: pass it back to settle. */
export interface HeldNudge { key: string; token: string }

/**
 * The claims of nudges in the bot's store, shared by every replica: "exactly once" is decided by one create-if-absent
 * write (of two racing processes, one wins), then the winner records the outcome over the eTag it read. A claim left
 * unsettled past its expiry (its holder died) is taken over with a conditional write; that holder may have posted.
 */
export class NudgeClaims {
  constructor(private readonly store: KeyValueStore, private readonly clock: Clock, private readonly log: Logger,
    private readonly options: { holder: string; claimMs?: number }) {}

  async read(key: string): Promise<StoredNudge | undefined> {
    return (await this.store.read([key]))[key] as StoredNudge | undefined;
  }

  /** True while an unsettled claim's holder may still be posting. */
  isLive(record: StoredNudge): boolean {
    return record.outcome === undefined && record.expiresAt > this.clock.now();
  }

  /** Takes the nudge: create-if-absent, or over an expired unsettled claim's eTag; undefined when another process has it. */
  async claim(key: string, what: Pick<NudgeRecord, 'definitionId' | 'instanceId' | 'kind' | 'reviewerId'>, previous: StoredNudge | undefined): Promise<HeldNudge | undefined> {
    const token = randomUUID();
    const record: NudgeRecord = {
      ...what, holder: this.options.holder, token, claimedAt: isoNow(this.clock), expiresAt: this.clock.now() + (this.options.claimMs ?? NUDGE_CLAIM_MS),
    };
    if (previous === undefined) return (await this.store.writeIfAbsent(key, { ...record })) ? { key, token } : undefined;
    if (previous.eTag === undefined || previous.outcome !== undefined) return undefined;
    this.log.warn({ ...what, previousHolder: previous.holder }, 'nudges: taking over a claim whose holder did not settle it');
    return (await writeIfMatch(this.store, key, record, previous.eTag)) ? { key, token } : undefined;
  }

  /** Records the outcome if the claim is still this process's; false when another took it over (logged). */
  async settle(held: HeldNudge, outcome: Pick<NudgeRecord, 'outcome' | 'activityId' | 'reason'>): Promise<boolean> {
    const stored = await this.read(held.key);
    if (stored?.token !== held.token || stored.eTag === undefined) {
      this.log.warn({ key: held.key }, 'nudges: claim taken over before its outcome was recorded');
      return false;
    }
    const { eTag, ...record } = stored;
    return writeIfMatch(this.store, held.key, { ...record, ...outcome, settledAt: isoNow(this.clock) }, eTag);
  }

}
