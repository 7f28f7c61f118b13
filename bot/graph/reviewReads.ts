import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { decisionSchema, instanceSchema, pageOf, parseAnswer, userSchema } from './answers';
import type { DecisionScanOptions, ExportedDecision, NamedIdentity, ReviewInstance } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter } from './odata';
import { batchGet, MAX_BATCH, type BatchAnswer } from './requests';

/**
 * The reads of `show` and `decisions`: one page of a review's runs, the reviewers an instance contacted, user names,
 * and every decision item of an instance for counting. Graph documents no `$count` on decisions, so counts read every
 * item: pages of 100 by `$skip` (documented on this list), 20 pages to a `$batch`, a few batches at once, aggregated as
 * each batch arrives.
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const PAGE = 100;
/** Any host: BatchRequestContent keeps only the path of each request (requests.ts). */
const BATCH_HOST = 'https://graph.microsoft.com';
const instancePage = pageOf(instanceSchema);
const decisionPage = pageOf(decisionSchema);
const reviewerPage = pageOf(z.looseObject({ id: z.string(), displayName: z.string().nullish(), userPrincipalName: z.string().nullish() }));
const userPage = pageOf(userSchema);

const definitionPath = (definitionId: string): string => `${DEFINITIONS}/${encodeURIComponent(definitionId)}`;
const instancePath = (definitionId: string, instanceId: string): string => `${definitionPath(definitionId)}/instances/${encodeURIComponent(instanceId)}`;

/** The first page (up to 100) of a definition's runs, and whether more follow. */
export async function instancesPage(client: Client, definitionId: string): Promise<{ instances: ReviewInstance[]; more: boolean }> {
  const what = 'read the runs of the access review';
  try {
    const page = parseAnswer(instancePage, await client.api(`${definitionPath(definitionId)}/instances`).top(PAGE).get(), what);
    return { instances: page.value, more: page['@odata.nextLink'] !== undefined };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** The individual reviewers an instance contacted (owners and managers resolved), first page of 100. */
export async function contactedReviewers(client: Client, definitionId: string, instanceId: string): Promise<NamedIdentity[]> {
  const what = 'read the reviewers of the access review';
  try {
    const page = parseAnswer(reviewerPage, await client.api(`${instancePath(definitionId, instanceId)}/contactedReviewers`).top(PAGE).get(), what);
    return page.value.map((reviewer) => ({ id: reviewer.id, displayName: reviewer.displayName ?? reviewer.userPrincipalName ?? reviewer.id }));
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** Display names of users by lower-case id (one request, at most 15 ids; unknown ids are left out). */
export async function userNames(client: Client, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))].slice(0, 15);
  if (unique.length === 0) return new Map();
  const what = 'read user names';
  try {
    const page = parseAnswer(userPage, await client.api('/users').filter(odataFilter`id in (${unique})`).select(['id', 'displayName']).get(), what);
    return new Map(page.value.flatMap((user) => (user.displayName ? [[user.id.toLowerCase(), user.displayName] as const] : [])));
  } catch (error) {
    throw toAppError(error, 'directory', what);
  }
}

/**
 * `decisions`: the items from `skip` on, at most `top` (≤ 100), of one decision value when given (the documented
 * `decision eq` filter), read beside the counting scan so that the scan can leave the long fields out.
 */
export async function decisionsAt(client: Client, definitionId: string, instanceId: string, options: DecisionScanOptions & { skip: number; top: number }):
Promise<ExportedDecision[]> {
  const what = 'read the decisions of the access review';
  try {
    let request = client.api(`${instancePath(definitionId, instanceId)}/decisions`).top(Math.min(options.top, PAGE)).skip(options.skip).select([...options.select]);
    if (options.decision !== undefined) request = request.filter(odataFilter`decision eq ${options.decision}`);
    return parseAnswer(decisionPage, await request.get(), what).value;
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** At most this many decision `$batch` requests in flight at once (each carries 20 pages of 100). */
export const DECISION_BATCHES_IN_FLIGHT = 3;

/**
 * Every decision item of an instance (with `options.filter`, the documented `decision eq '…'`), `onPage` called with
 * each page in order. Pages go 20 to a `$batch`; the first batch goes alone (most runs end in it), then each full batch
 * lets one more go at the same time, up to DECISION_BATCHES_IN_FLIGHT: bounded concurrency, and at most two batches
 * past the end, waited for but unread. The scan stops at the first short page. `complete` is false past `options.maxItems`; `requests` counts
 * the batches sent. A refused or missing instance ends as its AppError.
 */
export async function scanDecisions(client: Client, definitionId: string, instanceId: string, options: DecisionScanOptions,
  onPage: (items: ExportedDecision[]) => void): Promise<{ complete: boolean; requests: number }> {
  const what = 'read the decisions of the access review';
  const maxPages = Math.ceil((options.maxItems ?? 200_000) / PAGE);
  const batches = Math.ceil(maxPages / MAX_BATCH);
  const filter = options.decision === undefined ? '' : `&$filter=${odataFilter`decision eq ${options.decision}`}`;
  const path = (page: number): string =>
    `${instancePath(definitionId, instanceId)}/decisions?$top=${PAGE}&$skip=${page * PAGE}&$select=${options.select.join(',')}${filter}`;
  const sent: Array<Promise<BatchAnswer[]>> = [];
  const send = (batch: number): void => {
    const first = batch * MAX_BATCH;
    const answers = batchGet(client, BATCH_HOST, Array.from({ length: Math.min(MAX_BATCH, maxPages - first) }, (_, index) => path(first + index)));
    answers.catch(() => undefined); // a batch sent past the end may fail unread; one that is read rethrows below
    sent.push(answers);
  };
  try {
    for (let batch = 0; batch < batches; batch += 1) {
      const window = Math.min(DECISION_BATCHES_IN_FLIGHT, 1 + batch);
      while (sent.length < Math.min(batches, batch + window)) send(sent.length);
      let ended = false;
      for (const answer of await sent[batch]) {
        if (answer.status !== 200) {
          const message = (answer.body as { error?: { message?: string } } | undefined)?.error?.message ?? `status ${answer.status}`;
          throw new GraphError(answer.status, message);
        }
        const page = parseAnswer(decisionPage, answer.body, what);
        if (!ended) onPage(page.value);
        if (page.value.length < PAGE) ended = true;
      }
      if (ended) return { complete: true, requests: sent.length };
    }
    return { complete: false, requests: sent.length };
  } catch (error) {
    throw toAppError(error, 'read', what);
  } finally {
    await Promise.allSettled(sent); // the batches sent past the end: answered (and unread) before the scan returns
  }
}
