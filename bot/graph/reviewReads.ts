import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { decisionSchema, instanceSchema, pageOf, parseAnswer, userSchema } from './answers';
import type { DecisionScanOptions, ExportedDecision, NamedIdentity, ReviewInstance } from './apis';
import { scanInstances } from './decisionScan';
import { toAppError } from './graphErrors';
import { odataFilter } from './odata';

/**
 * The reads of `show` and `decisions`: one page of a review's runs, the reviewers an instance contacted, user names,
 * and every decision item of an instance for counting. Graph documents no `$count` on decisions, so counts read every
 * item: pages of 100 by `$skip` (documented on this list), 20 pages to a `$batch`, a few batches at once (decisionScan.ts),
 * aggregated as each page arrives.
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const PAGE = 100;
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

/**
 * Every decision item of one instance (with `options.decision`, the documented `decision eq` filter), `onPage` called
 * with each page in order: the multi-instance scanner (decisionScan.ts) with one instance — 20 pages in the first
 * `$batch`, then more at once as full pages come back, until a page without `@odata.nextLink`. `complete` is false
 * past `options.maxItems`; `requests` counts the `$batch` requests sent. A refused or missing instance ends as its
 * AppError.
 */
export async function scanDecisions(client: Client, definitionId: string, instanceId: string, options: DecisionScanOptions,
  onPage: (items: ExportedDecision[]) => void): Promise<{ complete: boolean; requests: number }> {
  const scan = await scanInstances(client, [{ definitionId, instanceId }], options, (_index, items) => onPage(items));
  const failure = scan.failures[0];
  if (failure !== undefined) throw failure.error;
  return { complete: scan.truncated.length === 0, requests: scan.batches };
}
