import { BatchRequestContent, GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors';
import { decisionSchema, pageOf, parseAnswer } from './answers';
import type { DecisionScanOptions, ExportedDecision } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter } from './odata';
import { DECISION_PAGE as PAGE, PagePlanner, type PageRef } from './pagePlanner';

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
  /** Only the caller's own items: `decisions/filterByCurrentUser(on='reviewer')`, which documents the same `$top`/`$skip`/`$select`/`$filter`. */
  reviewerOnly?: boolean;
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
// The scan: the planner's batches sent with the library's BatchRequestContent, answers parsed and handed on.
// ---------------------------------------------------------------------------------------------------------------

export interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Statuses Graph asks to retry (throttled, or the service briefly unavailable). */
export const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Seconds in an inner response's Retry-After (header names are case-insensitive), or undefined. */
export function retryAfterSeconds(headers: Record<string, string> | undefined): number | undefined {
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

/** An inner `$batch` answer as the GraphError toAppError maps (status, Graph's message, Retry-After). */
export function innerError(inner: InnerResponse | undefined): GraphError {
  const status = inner?.status ?? 0;
  const body = (inner?.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const error = new GraphError(status, body?.message ?? `status ${status}`);
  error.code = body?.code ?? null;
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
  const mine = options.reviewerOnly === true ? "/filterByCurrentUser(on='reviewer')" : '';
  const path = ({ index, page }: PageRef): string => {
    const { definitionId, instanceId } = instances[index];
    return `${DEFINITIONS}/${encodeURIComponent(definitionId)}/instances/${encodeURIComponent(instanceId)}/decisions${mine}?$top=${PAGE}&$skip=${page * PAGE}${select}${filter}`;
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
