import { BatchRequestContent, GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors';
import { decisionSchema, pageOf, parseAnswer } from './answers';
import type { DecisionScanOptions, ExportedDecision } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter } from './odata';
import { MAX_BATCH } from './requests';

/**
 * Decision counts over many review instances at once (issue 12, item 4: channel digests, `summary all`).
 *
 * Graph documents no `$count` on decisions, so every item is read: pages of 100 by `$skip`, at most 20 inner requests
 * to a `$batch`. {@link scanInstances} packs the pages of *all* the instances into shared `$batch` requests, several in
 * flight (bounded), and hands each page to the caller as it arrives (per instance in page order), so memory holds no
 * more than the pages in flight. A page without `@odata.nextLink` (or with fewer than 100 items) ends its instance: a
 * 500-item instance costs exactly five pages (more only if it was read speculatively, below). Which pages go into the next batch is decided by {@link PagePlanner}, a
 * pure planner (no I/O, no clock of its own) so that its invariants can be property-tested:
 *
 * 1. due retries of pages known to be needed (they unblock pages held for in-order delivery);
 * 2. pages known to exist: page 0 of every instance, page n+1 once page n came back full with a nextLink;
 * 3. only when 1 and 2 leave room in the batch: speculative pages past what is known. When nothing is in flight (the
 *    batch goes anyway, so filling it costs no round trip) of every open instance, also those not read yet, up to 19
 *    ahead (a single instance starts like `scanDecisions`: 20 pages in its first batch) or as many as it has shown full
 *    pages; while batches are in flight only of instances that have shown 20 full pages or more (large ones), as many
 *    ahead as they have shown (slow start). The instances with most pages known first, one page each in turn.
 *
 * A batch that is not full is sent only when nothing else is in flight: otherwise the planner waits for an answer
 * (which brings known pages). So with many instances every batch but the last is full of pages known to exist and
 * nothing is read past an end: the 200 × 500 digest costs the floor, 50 batches of 20 (property-tested for equal
 * instances, 20 or more: at most the floor + 1). With few instances the sizes are unknown before the first answers:
 * the mixed test set (0 to 2,050 items, 7 instances, 32 pages) costs the floor + 1, some speculative pages read past
 * an end (`wasted`).
 *
 * Throttling: the outer `$batch` POST goes through the client's middleware (the library's RetryHandler: 429/503/504
 * with Retry-After). Inner 429 and 5xx answers are put back in the queue with their Retry-After (else exponential
 * backoff with full jitter) and go out in a later batch together with other pages; after `maxRetries` the instance
 * fails as Throttled / GraphUnavailable. A 429 also holds back every new batch until its Retry-After has passed (Graph
 * throttles the app and tenant, not the page); batches already in flight are answered meanwhile.
 *
 * Failures: a 403, 404, 400, a malformed page, or retries exhausted fail *that instance only*: it is reported in
 * `failures` (an AppError mapped by toAppError) and no more of its pages are read or delivered; pages of it already
 * handed to `onPage` stay handed, so a caller that aggregates must drop a failed instance's figures. An inner 401 (the
 * token expired), or the `$batch` request itself failing after the library's retries, ends the whole scan: every
 * instance would fail the same way. It rejects with the AppError once the batches in flight have settled.
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const PAGE = 100;
/** Any host: BatchRequestContent keeps only the path of each request (see requests.ts). */
const BATCH_HOST = 'https://graph.microsoft.com';
const WHAT = 'read the decisions of the access reviews';
const decisionPage = pageOf(decisionSchema);

/** `$batch` requests in flight at once by default. */
export const INSTANCE_BATCHES_IN_FLIGHT = 4;
/** Inner 429/5xx answers re-sent per page by default before the instance fails. */
export const PAGE_RETRIES = 4;

export interface InstanceRef {
  definitionId: string;
  instanceId: string;
}

export interface InstanceScanOptions extends DecisionScanOptions {
  /** `maxItems` (from DecisionScanOptions) applies per instance; default 200,000. */
  maxBatchesInFlight?: number;
  /** Times one page is re-sent after an inner 429/5xx answer (default {@link PAGE_RETRIES}). */
  maxRetries?: number;
  /** Seconds of the first backoff when a 429/5xx carries no Retry-After (default 1; doubled per attempt, full jitter). */
  backoffSeconds?: number;
}

export interface InstanceFailure {
  /** Position in the `instances` given. */
  index: number;
  error: AppError;
}

export interface InstancesScan {
  /** `$batch` requests sent (each one HTTP round trip, before the library's own retries of the POST). */
  batches: number;
  /** Inner requests sent: every page read, re-sent and speculative one. */
  pages: number;
  /** Of `pages`, speculative pages that turned out to lie past the end of their instance. */
  wasted: number;
  /** Of `pages`, re-sent after an inner 429/5xx. */
  retried: number;
  /** Items delivered to `onPage`. */
  items: number;
  /** Instances that could not be read (their other instances are complete). */
  failures: InstanceFailure[];
  /** Instances cut at `maxItems` (their first `maxItems` items were delivered). */
  truncated: number[];
  /** Most pages held at once (in flight or answered, waiting for an earlier page of their instance). */
  peakHeldPages: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The planner: which pages go into the next batch, and which answered pages can be handed on in order.
// ---------------------------------------------------------------------------------------------------------------

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
        const last = !outcome.more || outcome.items < PAGE;
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

// ---------------------------------------------------------------------------------------------------------------
// The scan: the planner's batches sent with the library's BatchRequestContent, answers parsed and handed on.
// ---------------------------------------------------------------------------------------------------------------

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Statuses Graph asks to retry (throttled, or the service briefly unavailable). */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Seconds in an inner response's Retry-After (header names are case-insensitive), or undefined. */
function retryAfterSeconds(headers: Record<string, string> | undefined): number | undefined {
  const value = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  const seconds = value === undefined ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** The wait before re-sending: Retry-After when given, else `base` · 2^(attempt−1) with full jitter; at most 60 s. */
export function retryDelayMs(retryAfter: number | undefined, attempt: number, baseSeconds: number, random: () => number = Math.random): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, 60) * 1000;
  const ceiling = Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), 60) * 1000;
  return Math.round(ceiling * (0.5 + random() / 2));
}

function innerError(inner: InnerResponse | undefined): GraphError {
  const status = inner?.status ?? 0;
  const message = (inner?.body as { error?: { message?: string } } | undefined)?.error?.message ?? `status ${status}`;
  const error = new GraphError(status, message);
  error.headers = new Headers(inner?.headers ?? {});
  return error;
}

/**
 * Every decision item of each of `instances`, read in shared `$batch` requests (see the top of this file). `onPage`
 * gets each page (instance position, items) as it arrives, per instance in page order. Instances that fail are
 * reported in `failures`, not thrown; a 401 or a failed `$batch` POST rejects the whole scan (an AppError).
 */
export async function scanInstances(client: Client, instances: readonly InstanceRef[], options: InstanceScanOptions,
  onPage: (index: number, items: ExportedDecision[]) => void): Promise<InstancesScan> {
  const maxBatchesInFlight = Math.max(1, Math.floor(options.maxBatchesInFlight ?? INSTANCE_BATCHES_IN_FLIGHT));
  const maxRetries = options.maxRetries ?? PAGE_RETRIES;
  const backoff = options.backoffSeconds ?? 1;
  const planner = new PagePlanner(instances.length, {
    maxBatchesInFlight, maxRetries, maxPages: Math.ceil((options.maxItems ?? 200_000) / PAGE),
  });
  const filter = options.decision === undefined ? '' : `&$filter=${odataFilter`decision eq ${options.decision}`}`;
  const select = options.select.length > 0 ? `&$select=${options.select.join(',')}` : '';
  const path = ({ index, page }: PageRef): string => {
    const { definitionId, instanceId } = instances[index];
    return `${DEFINITIONS}/${encodeURIComponent(definitionId)}/instances/${encodeURIComponent(instanceId)}/decisions?$top=${PAGE}&$skip=${page * PAGE}${select}${filter}`;
  };
  const result: InstancesScan = { batches: 0, pages: 0, wasted: 0, retried: 0, items: 0, failures: [], truncated: [], peakHeldPages: 0 };
  const held = new Map<string, ExportedDecision[]>();
  const failed = new Set<number>();
  let fatal: AppError | undefined;
  let callbackError: unknown;
  const inFlight = new Set<Promise<void>>();
  /** No new batch before this time (a 429's Retry-After). */
  let pausedUntil = 0;

  const fail = (index: number, error: unknown): void => {
    if (failed.has(index)) return;
    failed.add(index);
    result.failures.push({ index, error: toAppError(error, 'read', WHAT) });
    for (const key of [...held.keys()]) if (key.startsWith(`${index}:`)) held.delete(key);
  };

  const handle = (ref: PageRef, inner: InnerResponse | undefined, attempts: Map<string, number>): void => {
    const key = `${ref.index}:${ref.page}`;
    const status = inner?.status ?? 0;
    if (status === 200) {
      let page: { value: ExportedDecision[]; '@odata.nextLink'?: string };
      try {
        page = parseAnswer(decisionPage, inner?.body, WHAT);
      } catch (error) {
        if (planner.answer(ref, { kind: 'failed' }).failed) fail(ref.index, error);
        return;
      }
      const effect = planner.answer(ref, { kind: 'page', items: page.value.length, more: page['@odata.nextLink'] !== undefined });
      if (effect.wasted) result.wasted += 1;
      if (effect.discard) return;
      held.set(key, page.value);
      for (const number of effect.deliver) {
        const items = held.get(`${ref.index}:${number}`) ?? [];
        held.delete(`${ref.index}:${number}`);
        result.items += items.length;
        try {
          onPage(ref.index, items);
        } catch (error) {
          callbackError ??= error;
        }
      }
      return;
    }
    if (status === 401) {
      planner.answer(ref, { kind: 'failed' });
      fatal ??= toAppError(innerError(inner), 'read', WHAT);
      return;
    }
    if (RETRYABLE.has(status)) {
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const due = Date.now() + retryDelayMs(retryAfterSeconds(inner?.headers), attempt, backoff);
      if (status === 429) pausedUntil = Math.max(pausedUntil, due);
      const effect = planner.answer(ref, { kind: 'retry', due });
      if (effect.failed) fail(ref.index, innerError(inner));
      return;
    }
    const effect = planner.answer(ref, { kind: 'failed' });
    if (effect.failed) fail(ref.index, innerError(inner));
  };

  const attempts = new Map<string, number>();
  const send = (refs: PageRef[]): Promise<void> => (async () => {
    result.batches += 1;
    result.pages += refs.length;
    result.retried += refs.filter((ref) => attempts.has(`${ref.index}:${ref.page}`)).length;
    result.peakHeldPages = Math.max(result.peakHeldPages, planner.holding);
    try {
      const content = new BatchRequestContent(refs.map((ref, n) => ({ id: String(n), request: new Request(`${BATCH_HOST}${path(ref)}`, { method: 'GET' }) })));
      // Read the JSON answers as they are: BatchResponseContent's Response objects turn JSON bodies into "[object Object]".
      const response = (await client.api('/$batch').post(await content.getContent())) as { responses?: InnerResponse[] } | undefined;
      const byId = new Map((response?.responses ?? []).map((inner) => [inner.id, inner]));
      refs.forEach((ref, n) => handle(ref, byId.get(String(n)), attempts));
    } catch (error) {
      fatal ??= toAppError(error, 'read', WHAT);
      for (const ref of refs) {
        try {
          planner.answer(ref, { kind: 'failed' });
        } catch {
          // already answered before the failure
        }
      }
    } finally {
      planner.settled();
    }
  })();

  let timer: NodeJS.Timeout | undefined;
  try {
    while (!planner.done && fatal === undefined && callbackError === undefined) {
      const paused = Date.now() < pausedUntil;
      for (let refs = paused ? undefined : planner.plan(Date.now()); refs !== undefined; refs = planner.plan(Date.now())) {
        const sent = send(refs);
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
      }
      if (planner.done) break;
      const due = paused ? pausedUntil : planner.nextDue();
      const waits: Array<Promise<unknown>> = [...inFlight];
      if (due !== undefined) waits.push(new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, due - Date.now())); }));
      if (waits.length === 0) throw new Error('decision scan: nothing in flight and nothing to send');
      await Promise.race(waits);
      clearTimeout(timer);
    }
  } finally {
    clearTimeout(timer);
    await Promise.allSettled([...inFlight]);
  }
  // The caller's own error from onPage, as it was thrown.
  if (callbackError !== undefined) throw callbackError instanceof Error ? callbackError : new Error('onPage failed', { cause: callbackError });
  if (fatal !== undefined) throw fatal;
  result.truncated = instances.map((_instance, index) => index).filter((index) => planner.isTruncated(index) && !failed.has(index));
  result.failures.sort((a, b) => a.index - b.index);
  return result;
}
