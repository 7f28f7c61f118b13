import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { writeIfMatch, type KeyValueStore } from '../storage/keyValueStore';

/**
 * One record per (subscription, period), shared by every bot process on the store: the lease (who is working on
 * this period's digest, until when) and what has been done (the posted activity, refreshes, failures). Lease and
 * outcome live in one item, so "is it still to do?" and "I take it" are decided by one eTag-conditional write:
 *
 * - acquire: read the record; if another holder's lease is live, or the caller's `decide` finds nothing to do, stop;
 *   otherwise write `lease = { token, expiresAt: now + leaseMs }` over the eTag read (writeIfAbsent when there is no
 *   record yet). Of two processes racing, exactly one write lands; the loser sees the winner's lease next time.
 * - renew: read, check the lease still carries this token, write a later expiry over that eTag.
 * - complete / fail / release: the same check, then write the outcome with the lease cleared.
 * - a holder that died leaves its lease to expire (by the clock of whoever reads it); then the next acquire wins.
 *
 * Expiry is judged by each process's injected clock, so replicas need roughly agreeing clocks (NTP; in local mode
 * they all follow the emulator's). Exactly one post per period holds except for a holder that stalls past its
 * lease (renewal failing) or dies between posting and `complete`: the next holder cannot know the post happened.
 */
export interface RunLease {
  holder: string;
  token: string;
  /** Milliseconds since the epoch, by the clock of the process that wrote it. */
  expiresAt: number;
}

export interface RunRecord {
  subscriptionId: string;
  periodKey: string;
  dueAt: string;
  lease?: RunLease;
  /** The digest card posted in this period (updated in place by later runs). */
  activityId?: string;
  postedAt?: string;
  refreshedAt?: string;
  /** The job reported the review finished: its final card is out, nothing more in this period. */
  finished?: boolean;
  /** Failed attempts in a row (reset by a success). */
  failures?: number;
  /** No attempt before this instant (ms). */
  retryAt?: number;
  /** Too many failures: no more attempts in this period. */
  gaveUp?: boolean;
}

/** A lease this process holds; pass it back to renew, complete, fail or release. */
export interface HeldLease {
  key: string;
  token: string;
  /** The record as it was when the lease was taken (lease included). */
  record: RunRecord;
}

export type RunOutcome = Pick<RunRecord, 'activityId' | 'postedAt' | 'refreshedAt' | 'finished' | 'failures' | 'retryAt' | 'gaveUp'>;

export interface RunLeasesOptions {
  /** This process, for logs and for humans reading the store. */
  holder: string;
  /** How long a lease lasts without renewal; a dead holder's work is taken over after this. */
  leaseMs: number;
}

export const runKey = (subscriptionId: string, periodKey: string): string => `digests/runs/${subscriptionId}/${periodKey}`;

type Stored = RunRecord & { eTag?: string };

/** Reads and conditional writes per renew/finish: only the holder itself writes a held record, so a few suffice. */
const CHANGE_ATTEMPTS = 4;

/** See {@link RunLease}: lease and outcome records of digest runs. */
export class RunLeases {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly options: RunLeasesOptions,
  ) {}

  async read(subscriptionId: string, periodKey: string): Promise<RunRecord | undefined> {
    const stored = await this.readStored(runKey(subscriptionId, periodKey));
    if (stored === undefined) return undefined;
    const { eTag: _eTag, ...record } = stored;
    return record;
  }

  /** True when `record` carries a lease that has not expired (by this process's clock). */
  isLeased(record: RunRecord | undefined): boolean {
    return record?.lease !== undefined && record.lease.expiresAt > this.clock.now();
  }

  /**
   * Takes the lease of a period when no live lease is there and `decide(record)` (the record as stored, or
   * undefined) says there is work; undefined otherwise, or when another process took it first.
   */
  async acquire(
    subscriptionId: string,
    period: { key: string; dueAt: Date },
    decide: (record: RunRecord | undefined) => boolean,
  ): Promise<HeldLease | undefined> {
    const key = runKey(subscriptionId, period.key);
    const stored = await this.readStored(key);
    const { eTag, ...current } = stored ?? {};
    const existing = stored === undefined ? undefined : (current as RunRecord);
    if (this.isLeased(existing) || !decide(existing)) return undefined;
    const token = `${this.options.holder}/${randomUUID()}`;
    const lease: RunLease = { holder: this.options.holder, token, expiresAt: this.clock.now() + this.options.leaseMs };
    const record: RunRecord = { ...(existing ?? { subscriptionId, periodKey: period.key, dueAt: period.dueAt.toISOString() }), lease };
    if (eTag === undefined) {
      return (await this.store.writeIfAbsent(key, { ...record })) ? { key, token, record } : undefined;
    }
    return (await writeIfMatch(this.store, key, record, eTag)) ? { key, token, record } : undefined;
  }

  /** Extends a held lease to now + leaseMs; false when it is no longer held (taken over after expiry, or gone). */
  async renew(held: HeldLease): Promise<boolean> {
    return this.change(held, (record) => ({ ...record, lease: { ...(record.lease as RunLease), expiresAt: this.clock.now() + this.options.leaseMs } }));
  }

  /** Records the outcome and ends the lease; false when the lease was no longer held (nothing written). */
  async finish(held: HeldLease, outcome: RunOutcome): Promise<boolean> {
    return this.change(held, (record) => {
      const { lease: _lease, ...rest } = record;
      return { ...rest, ...outcome };
    });
  }

  /** Ends the lease without recording anything (e.g. on shutdown); false when it was not held. */
  async release(held: HeldLease): Promise<boolean> {
    return this.finish(held, {});
  }

  /** Forgets a period's record (an old period's, once the next one is done). */
  async forget(subscriptionId: string, periodKey: string): Promise<void> {
    await this.store.delete([runKey(subscriptionId, periodKey)]);
  }

  private async readStored(key: string): Promise<Stored | undefined> {
    return (await this.store.read([key]))[key] as Stored | undefined;
  }

  /**
   * Writes `update(record)` if the record still carries this lease's token, over the eTag just read. A conflict
   * while the token is still there can only be this holder's own renewal landing in between: read again.
   */
  private async change(held: HeldLease, update: (record: RunRecord) => RunRecord): Promise<boolean> {
    for (let attempt = 1; attempt <= CHANGE_ATTEMPTS; attempt++) {
      const stored = await this.readStored(held.key);
      if (stored?.lease?.token !== held.token) return false;
      const { eTag, ...record } = stored;
      if (eTag === undefined) return false;
      if (await writeIfMatch(this.store, held.key, update(record), eTag)) return true;
    }
    return false;
  }

}
