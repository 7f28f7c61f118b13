import { MAX_BATCH } from './requests';

/** Graph's page of decisions: a page of fewer items is the last. */
export const DECISION_PAGE = 100;

/**
 * The planner of decisionScan.ts: which pages go into the next `$batch`, and which answered pages can be handed on in
 * order. Pure (no I/O, no clock of its own), so that its invariants are property-tested; the order of what it sends
 * is described at the top of decisionScan.ts.
 */

export interface PageRef {
  index: number;
  page: number;
}

/** What came back for one page. `due`: when a re-send may go (the planner's caller owns the clock). */
export type PageOutcome =
  | { kind: 'page'; items: number; more: boolean }
  | { kind: 'retry'; due: number }
  | { kind: 'failed' };

export interface PlannerOptions {
  maxBatchesInFlight: number;
  /** Pages per instance at most (maxItems / 100). */
  maxPages: number;
  maxRetries: number;
  batchSize?: number;
}

export interface AnswerEffect {
  /** Pages of this instance now to be handed on, in order (each exactly once over the scan). */
  deliver: number[];
  /** This answered page will never be handed on (past the end, or its instance failed): drop it. */
  discard: boolean;
  /** It was speculative and lay past the end. */
  wasted: boolean;
  /** The instance failed with this answer (retries exhausted, or a failing answer). */
  failed: boolean;
}

interface Track {
  /** Pages [0, known) exist. */
  known: number;
  /** Pages [0, end) are all there is (set by a last page, or by the page cap). */
  end: number | undefined;
  /** Every page below `next` has been requested at least once. */
  next: number;
  read: boolean;
  failed: boolean;
  truncated: boolean;
  inFlight: Set<number>;
  /** Pages to send again, with when. */
  retry: Map<number, number>;
  attempts: Map<number, number>;
  /** Answered pages waiting for an earlier one. */
  held: Set<number>;
  /** Pages [0, delivered) have been handed on. */
  delivered: number;
}

export class PagePlanner {
  private readonly tracks: Track[];
  private readonly batchSize: number;
  private batchesInFlight = 0;
  private pagesInFlight = 0;
  private heldPages = 0;
  private open: number;

  constructor(count: number, private readonly options: PlannerOptions) {
    this.batchSize = Math.min(options.batchSize ?? MAX_BATCH, MAX_BATCH);
    this.tracks = Array.from({ length: count }, () => ({
      known: options.maxPages > 0 ? 1 : 0, end: options.maxPages > 0 ? undefined : 0, next: 0, read: false, failed: false, truncated: false,
      inFlight: new Set<number>(), retry: new Map<number, number>(), attempts: new Map<number, number>(), held: new Set<number>(), delivered: 0,
    }));
    this.open = this.tracks.filter((track) => !this.finished(track)).length;
  }

  /** Every instance has ended (all its pages handed on), failed or been cut. */
  get done(): boolean {
    return this.open === 0;
  }

  get inFlightBatches(): number {
    return this.batchesInFlight;
  }

  /** Pages in flight plus answered pages held for order: what the scan keeps in memory at most. */
  get holding(): number {
    return this.pagesInFlight + this.heldPages;
  }

  isTruncated(index: number): boolean {
    return this.tracks[index]?.truncated ?? false;
  }

  /** The earliest time a queued re-send falls due (undefined: none queued). */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const track of this.tracks) {
      if (track.failed) continue;
      for (const at of track.retry.values()) due = due === undefined ? at : Math.min(due, at);
    }
    return due;
  }

  /**
   * The pages of the next batch to send at `now`, counted as in flight; undefined when none should go now (the
   * in-flight bound is reached, a partial batch waits for an answer, or nothing is due).
   */
  plan(now: number): PageRef[] | undefined {
    const { maxBatchesInFlight } = this.options;
    if (this.batchesInFlight >= maxBatchesInFlight) return undefined;
    const idle = this.batchesInFlight === 0;
    const picked: PageRef[] = [];
    const room = (): boolean => picked.length < this.batchSize;
    // New pages only while what is held stays within the batches the bound allows (re-sends are always allowed:
    // they are what held pages wait for).
    let capacity = maxBatchesInFlight * this.batchSize - this.holding;
    const nextNew = new Map<number, number>();
    const retried = new Set<string>();

    // 1. Due re-sends of pages that are needed (known to exist, or the one an instance's delivery waits for).
    for (let index = 0; index < this.tracks.length && room(); index += 1) {
      const track = this.tracks[index];
      if (track.failed || track.retry.size === 0) continue;
      for (const [page, due] of [...track.retry].sort((a, b) => a[0] - b[0])) {
        if (!room()) break;
        if (due <= now && (page < track.known || page === track.delivered)) {
          picked.push({ index, page });
          retried.add(`${index}:${page}`);
        }
      }
    }
    // 2. Pages known to exist, instance by instance.
    for (let index = 0; index < this.tracks.length && room() && capacity > 0; index += 1) {
      const track = this.tracks[index];
      if (track.failed) continue;
      let next = track.next;
      const limit = Math.min(track.known, track.end ?? Infinity);
      while (next < limit && room() && capacity > 0) {
        picked.push({ index, page: next });
        next += 1;
        capacity -= 1;
      }
      if (next !== track.next) nextNew.set(index, next);
    }
    // 3. Speculation, to fill the batch.
    if (room() && capacity > 0) {
      const candidates = this.tracks
        .map((track, index) => ({ track, index }))
        .filter(({ track }) => !track.failed && track.end === undefined && (track.read ? track.known >= 2 : idle))
        .sort((a, b) => b.track.known - a.track.known || a.index - b.index);
      const ahead = (track: Track, next: number): number => Math.max(0, next - track.known);
      // Ahead of what is known: when idle (the batch goes anyway), up to a batch, or what the instance has shown; while
      // batches are in flight, only instances that have shown a batch's worth of full pages (a large one), as many
      // as they have shown (slow start), so that many small instances never pay for speculation in round trips.
      const allowed = (track: Track): number => {
        const shown = track.read ? track.known - 1 : 0;
        return idle ? Math.max(shown, this.batchSize - 1) : shown >= this.batchSize ? shown : 0;
      };
      let added = true;
      while (added && room() && capacity > 0) {
        added = false;
        for (const { track, index } of candidates) {
          if (!room() || capacity <= 0) break;
          // A due re-send of a speculative page first, else a new page past what is known.
          const resend = [...track.retry].find(([page, due]) => due <= now && !retried.has(`${index}:${page}`));
          if (resend) {
            picked.push({ index, page: resend[0] });
            retried.add(`${index}:${resend[0]}`);
            added = true;
            continue;
          }
          const next = nextNew.get(index) ?? track.next;
          if (next < this.options.maxPages && ahead(track, next + 1) <= allowed(track)) {
            picked.push({ index, page: next });
            nextNew.set(index, next + 1);
            capacity -= 1;
            added = true;
          }
        }
      }
    }
    if (picked.length === 0 || (picked.length < this.batchSize && !idle)) return undefined;
    // Commit.
    for (const [index, next] of nextNew) (this.tracks[index]).next = next;
    for (const { index, page } of picked) {
      const track = this.tracks[index];
      track.retry.delete(page);
      track.inFlight.add(page);
    }
    this.pagesInFlight += picked.length;
    this.batchesInFlight += 1;
    return picked;
  }

  /** One page's answer; call {@link settled} once every page of its batch has been answered. */
  answer(ref: PageRef, outcome: PageOutcome): AnswerEffect {
    const track = this.tracks[ref.index];
    if (track === undefined || !track.inFlight.delete(ref.page)) throw new Error(`page ${ref.page} of instance ${ref.index} is not in flight`);
    this.pagesInFlight -= 1;
    const wasOpen = !track.failed && !this.finished(track);
    const effect = this.apply(track, ref, outcome);
    if (wasOpen && (track.failed || this.finished(track))) this.open -= 1;
    return effect;
  }

  private apply(track: Track, ref: PageRef, outcome: PageOutcome): AnswerEffect {
    const none: AnswerEffect = { deliver: [], discard: true, wasted: false, failed: false };
    if (track.failed) return none;
    if (track.end !== undefined && ref.page >= track.end) return { ...none, wasted: outcome.kind === 'page' };
    switch (outcome.kind) {
      case 'failed':
        this.fail(track);
        return { ...none, failed: true };
      case 'retry': {
        const attempts = (track.attempts.get(ref.page) ?? 0) + 1;
        track.attempts.set(ref.page, attempts);
        if (attempts > this.options.maxRetries) {
          this.fail(track);
          return { ...none, failed: true };
        }
        track.retry.set(ref.page, outcome.due);
        return none;
      }
      case 'page': {
        track.read = true;
        track.attempts.delete(ref.page);
        const last = !outcome.more || outcome.items < DECISION_PAGE;
        if (last) {
          // An empty page after the first: the instance ends before it (nothing of it to hand on).
          this.setEnd(track, outcome.items === 0 && ref.page > 0 ? ref.page : ref.page + 1);
        } else if (ref.page + 2 > track.known) {
          track.known = ref.page + 2;
          if (track.known > this.options.maxPages) {
            track.truncated = true;
            this.setEnd(track, this.options.maxPages);
          }
        }
        if (track.end !== undefined && ref.page >= track.end) return { ...none, wasted: true };
        track.held.add(ref.page);
        this.heldPages += 1;
        const deliver: number[] = [];
        while (track.held.delete(track.delivered)) {
          this.heldPages -= 1;
          deliver.push(track.delivered);
          track.delivered += 1;
        }
        return { deliver, discard: false, wasted: false, failed: false };
      }
    }
  }

  /** A batch has been answered (every page of it through {@link answer}). */
  settled(): void {
    this.batchesInFlight -= 1;
  }

  private finished(track: Track): boolean {
    return track.end !== undefined && track.delivered >= track.end;
  }

  private fail(track: Track): void {
    track.failed = true;
    this.heldPages -= track.held.size;
    track.held.clear();
    track.retry.clear();
  }

  private setEnd(track: Track, end: number): void {
    if (track.end !== undefined && track.end <= end) return;
    track.end = end;
    track.known = Math.min(track.known, end);
    for (const page of [...track.held]) {
      if (page >= end) {
        track.held.delete(page);
        this.heldPages -= 1;
      }
    }
    for (const page of [...track.retry.keys()]) if (page >= end) track.retry.delete(page);
  }
}
