import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../errors';
import { countSchema, decisionSchema, definitionSchema, pageOf, parseAnswer } from './answers';
import type { DecisionChoice, RecordOutcome, ReviewDefinition, ReviewerItem, ReviewerItemFilter, ReviewInstance } from './apis';
import { innerError, retryAfterSeconds, retryDelayMs, RETRYABLE, scanInstances, type InnerResponse, type InstanceRef } from './decisionScan';
import { toAppError } from './graphErrors';
import { odataFilter, type EncodedFilter } from './odata';
import { instancesOf } from './definitionPages';
import { MAX_BATCH, relativeGraphPath } from './requests';

/**
 * The reviewer's side of Graph (ReviewerApi in apis.ts), always with the reviewer's own delegated token: the three-level
 * `filterByCurrentUser(on='reviewer')` walk (definitions → instances → decision items) and recording decisions.
 *
 * Recording is `PATCH .../decisions/{id}` per chosen item (accessreviewinstancedecisionitem-update: delegated only, "for
 * which the user is the reviewer"), 20 to a `$batch`, a few batches in flight. Not `batchRecordDecisions` with a
 * `principalId`: that action selects items by principal (and resource), not by item, and reviews only the caller's
 * matching items, so a choice on an item that is not the caller's (or whose principal was mistyped) would come back
 * 204 having changed nothing, and an empty `principalId` would decide *every* item of the caller. PATCH names the item:
 * Graph answers 403 / 404 / 400 for that item, and nothing else can change. When every item of the caller takes the same
 * decision and justification, one `batchRecordDecisions` without ids does it in one request; that is the caller's call
 * (this seam is not told that the choices cover every item), and not offered here.
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const BY_REVIEWER = "filterByCurrentUser(on='reviewer')";
/** Graph's largest page on these lists. */
const PAGE = 100;
const DEFINITION_FIELDS = ['id', 'displayName', 'status', 'descriptionForReviewers', 'scope', 'instanceEnumerationScope', 'settings'];
/** What a ReviewerItem is read from (`principal` carries its id, names, type and last sign-in). */
const ITEM_FIELDS = ['id', 'decision', 'justification', 'recommendation', 'principal', 'resource'];
/** `$batch` requests of decisions in flight at once. */
const WRITE_BATCHES_IN_FLIGHT = 3;
/** Times one choice is re-sent after an inner 429/5xx before it is reported failed. */
const WRITE_RETRIES = 4;

const definitionPage = pageOf(definitionSchema);
/** A page of items with `@odata.count` when Graph gives it (Microsoft's examples show it unasked; nothing documents it). */
const itemPage = pageOf(decisionSchema).extend({ '@odata.count': countSchema.optional().catch(undefined) });
/** A decision item as decisionSchema reads it (every field the reviewer sees, unlike the export's ExportedDecision). */
type DecisionAnswer = z.output<typeof decisionSchema>;
const decisionList = z.array(decisionSchema);

const instancePath = (definitionId: string, instanceId: string): string =>
  `${DEFINITIONS}/${encodeURIComponent(definitionId)}/instances/${encodeURIComponent(instanceId)}`;

/** The documented `$filter` (eq on decision / recommendation) of each filter Graph can apply; guests are filtered here. */
const GRAPH_FILTERS: Record<Exclude<ReviewerItemFilter, 'guests'>, { filter?: EncodedFilter; matches: (item: DecisionAnswer) => boolean }> = {
  all: { matches: () => true },
  undecided: { filter: odataFilter`decision eq ${'NotReviewed'}`, matches: (item) => item.decision === 'NotReviewed' },
  recommendedDeny: { filter: odataFilter`recommendation eq ${'Deny'}`, matches: (item) => item.recommendation === 'Deny' },
};

/** A guest account: Entra writes `#EXT#` into the user principal name of invited (B2B) users. */
const isGuest = (item: DecisionAnswer): boolean => /#ext#/i.test(item.principal?.userPrincipalName ?? '');

/** "user", "group", "servicePrincipal": Graph's `type`, else `@odata.type` (`#microsoft.graph.userIdentity` → user). */
function principalType(principal: DecisionAnswer['principal']): string | null {
  if (principal?.type) return principal.type;
  const odataType = principal?.['@odata.type']?.replace(/^#?microsoft\.graph\./, '').replace(/Identity$/, '');
  return odataType || null;
}

export function toReviewerItem(item: DecisionAnswer): ReviewerItem {
  const principal = item.principal;
  return {
    id: item.id,
    decision: item.decision ?? null,
    justification: item.justification ?? null,
    recommendation: item.recommendation ?? null,
    principal: {
      id: principal?.id ?? null,
      displayName: principal?.displayName ?? null,
      userPrincipalName: principal?.userPrincipalName ?? null,
      type: principalType(principal),
      lastUserSignInDateTime: principal?.lastUserSignInDateTime ?? null,
    },
    resourceId: item.resource?.id ?? null,
  };
}

/** Definitions where the caller reviews at least one instance, following `@odata.nextLink`, at most `maxPages` pages. */
export async function myDefinitions(client: Client, maxPages = 10): Promise<{ definitions: ReviewDefinition[]; complete: boolean }> {
  const what = 'list the access reviews you review';
  try {
    const definitions: ReviewDefinition[] = [];
    let link: string | undefined = `${DEFINITIONS}/${BY_REVIEWER}?$top=${PAGE}&$select=${DEFINITION_FIELDS.join(',')}`;
    for (let pages = 0; link !== undefined; pages += 1) {
      if (pages === maxPages) return { definitions, complete: false };
      const page: z.output<typeof definitionPage> = parseAnswer(definitionPage, await client.api(relativeGraphPath(link)).get(), what);
      definitions.push(...page.value);
      link = page['@odata.nextLink'];
    }
    return { definitions, complete: true };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** Per definition, the first page of the instances the caller reviews (20 definitions to a `$batch`); unreadable ones left out. */
export const myInstances = (client: Client, definitionIds: readonly string[]): Promise<Map<string, ReviewInstance[]>> =>
  instancesOf(client, definitionIds, { asReviewer: true });

/**
 * Per instance, the caller's items and how many are `NotReviewed`: pages of `id,decision` of every instance packed into
 * shared `$batch` requests (decisionScan.ts, reviewer view). An instance Graph refuses or cannot find (or one cut at
 * 200,000 items, whose counts would be short) is `undefined`; a 401 or a failed `$batch` rejects the whole call.
 */
export async function myItemCounts(client: Client, instances: readonly InstanceRef[]): Promise<Array<{ total: number; undecided: number } | undefined>> {
  if (instances.length === 0) return [];
  const counts = instances.map(() => ({ total: 0, undecided: 0 }));
  const scan = await scanInstances(client, instances, { select: ['id', 'decision'], reviewerOnly: true }, (index, items) => {
    const count = counts[index];
    if (count === undefined) return;
    count.total += items.length;
    count.undecided += items.filter((item) => item.decision === 'NotReviewed').length;
  });
  const unknown = new Set([...scan.failures.map((failure) => failure.index), ...scan.truncated]);
  return counts.map((count, index) => (unknown.has(index) ? undefined : count));
}

/** Every one of the caller's items of one instance (`select`ed fields), pages in shared `$batch` requests; at most `maxItems`. */
async function readMine(client: Client, definitionId: string, instanceId: string, select: readonly string[], maxItems: number): Promise<DecisionAnswer[]> {
  const items: DecisionAnswer[] = [];
  const scan = await scanInstances(client, [{ definitionId, instanceId }], { select, maxItems, reviewerOnly: true }, (_index, page) => {
    // The scan parsed each item with decisionSchema and types it as the export's narrower view: read back, not cast.
    items.push(...parseAnswer(decisionList, page, 'read your items of the access review'));
  });
  const failure = scan.failures[0];
  if (failure !== undefined) throw failure.error;
  return items;
}

/**
 * One page of the caller's items: `undecided` and `recommendedDeny` by the documented `$filter` (eq), `all` without,
 * `size` (≤ 100) from `skip` by `$top`/`$skip`; `total` from `@odata.count` when Graph sends it, else from the page when it
 * is the last, else by reading the matching items. `guests` reads every item (no documented filter reaches the
 * principal) and keeps those whose user principal name has `#EXT#`.
 */
export async function myItems(client: Client, definitionId: string, instanceId: string, options: { filter: ReviewerItemFilter; skip: number; size: number }):
Promise<{ items: ReviewerItem[]; total: number }> {
  const what = 'read your items of the access review';
  const skip = Math.max(0, Math.floor(options.skip));
  const size = Math.max(1, Math.min(Math.floor(options.size), PAGE));
  try {
    if (options.filter === 'guests') {
      const guests = (await readMine(client, definitionId, instanceId, ITEM_FIELDS, 100_000)).filter(isGuest);
      return { items: guests.slice(skip, skip + size).map(toReviewerItem), total: guests.length };
    }
    const rule = GRAPH_FILTERS[options.filter];
    let request = client.api(`${instancePath(definitionId, instanceId)}/decisions/${BY_REVIEWER}`).top(size).skip(skip).select(ITEM_FIELDS);
    if (rule.filter !== undefined) request = request.filter(rule.filter);
    const page = parseAnswer(itemPage, await request.get(), what);
    const items = page.value.map(toReviewerItem);
    if (page['@odata.count'] !== undefined) return { items, total: page['@odata.count'] };
    // The last page (a page past the end says nothing about where the end is, unless it starts at 0).
    if (page['@odata.nextLink'] === undefined && (items.length > 0 || skip === 0)) return { items, total: skip + items.length };
    const all = await readMine(client, definitionId, instanceId, ['id', 'decision', 'recommendation'], 100_000);
    return { items, total: all.filter(rule.matches).length };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** Every one of the caller's items of an instance with the fields bulk choices need, at most `maxItems`. */
export async function allMyItems(client: Client, definitionId: string, instanceId: string, maxItems = 100_000): Promise<ReviewerItem[]> {
  try {
    return (await readMine(client, definitionId, instanceId, ITEM_FIELDS, maxItems)).map(toReviewerItem);
  } catch (error) {
    throw toAppError(error, 'read', 'read your items of the access review');
  }
}

interface Pending {
  choice: DecisionChoice;
  /** Times sent so far. */
  sent: number;
}

/** The choices as they will be sent: one per item (an item chosen twice takes its last choice); an empty item id fails. */
function pendingOf(choices: readonly DecisionChoice[], outcome: RecordOutcome): Pending[] {
  const byItem = new Map<string, Pending>();
  for (const choice of choices) {
    if (choice.itemId.trim() === '') {
      outcome.failed.push({ itemId: choice.itemId, error: new AppError('InvalidInput', 'A decision was chosen without the item it is for.') });
      continue;
    }
    byItem.delete(choice.itemId);
    byItem.set(choice.itemId, { choice, sent: 0 });
  }
  return [...byItem.values()];
}

/** One inner PATCH of a `$batch`: the decision and, when given, its justification. */
function patchRequest(path: string, pending: Pending, id: number): object {
  const { decision, justification } = pending.choice;
  const reason = justification?.trim() ?? '';
  return {
    id: String(id), method: 'PATCH', url: `${path}/decisions/${encodeURIComponent(pending.choice.itemId)}`,
    headers: { 'content-type': 'application/json' }, body: { decision, ...(reason === '' ? {} : { justification: reason }) },
  };
}

/**
 * Records `choices` (PATCH per item, see the top of this file): 20 to a `$batch`, {@link WRITE_BATCHES_IN_FLIGHT} at once.
 * 204 → `recorded`; an inner 429/5xx is re-sent in a later round after its Retry-After (which holds back every new batch
 * meanwhile; a 5xx without one backs off exponentially), at most {@link WRITE_RETRIES} times; any other inner answer (400 justification required, 403 not the
 * caller's item or not a reviewer, 404, 409, …) → `failed` with its AppError. An inner 401, or a `$batch` that fails
 * twice, stops the call: what was not recorded by then is `failed` with that error (nothing is thrown).
 *
 * Re-sending is safe because recording a decision is idempotent: the same decision and justification again leave the
 * item as it was (only its reviewedDateTime moves). That is why an inner 5xx (which may come after the change was made)
 * is re-sent, and why a `$batch` request that fails as a whole (network, 5xx on the envelope: some of its inner
 * requests may have been applied, Graph does not say which) is re-sent once, whole, rather than given up or blindly
 * re-sent until it passes. The client's own middleware re-sends the envelope only on 429, which Graph answers first.
 */
export async function recordDecisions(client: Client, definitionId: string, instanceId: string, choices: readonly DecisionChoice[]): Promise<RecordOutcome> {
  const what = 'record your decisions';
  const path = instancePath(definitionId, instanceId);
  const outcome: RecordOutcome = { recorded: [], failed: [], requests: 0 };
  let queue = pendingOf(choices, outcome);
  let fatal: AppError | undefined;
  let pausedUntil = 0;

  const post = async (requests: object[]): Promise<InnerResponse[]> => {
    for (let attempt = 1; ; attempt += 1) {
      outcome.requests += 1;
      try {
        const answer = (await client.api('/$batch').post({ requests })) as { responses?: InnerResponse[] } | undefined;
        return answer?.responses ?? [];
      } catch (error) {
        const status = error instanceof GraphError ? error.statusCode : -1;
        if (attempt === 2 || (status > 0 && status < 500)) throw error;
      }
    }
  };

  const send = async (chunk: Pending[], retry: Pending[]): Promise<void> => {
    const wait = pausedUntil - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (fatal !== undefined) return;
    chunk.forEach((pending) => { pending.sent += 1; });
    let answers: InnerResponse[];
    try {
      answers = await post(chunk.map((pending, n) => patchRequest(path, pending, n)));
    } catch (error) {
      fatal ??= error instanceof GraphError && error.statusCode > 0 ? toAppError(error, 'decide', what)
        : new AppError('GraphUnavailable', `I could not reach Microsoft Graph to ${what}. Some may not have been recorded; recording them again is safe.`, { cause: error });
      return;
    }
    const byId = new Map(answers.map((inner) => [inner.id, inner]));
    chunk.forEach((pending, n) => {
      const inner = byId.get(String(n));
      const status = inner?.status ?? 0;
      if (status >= 200 && status < 300) outcome.recorded.push(pending.choice.itemId);
      else if (status === 401) fatal ??= toAppError(innerError(inner), 'decide', what);
      else if ((status === 0 || RETRYABLE.has(status)) && pending.sent <= WRITE_RETRIES) {
        retry.push(pending);
        pausedUntil = Math.max(pausedUntil, Date.now() + retryDelayMs(retryAfterSeconds(inner?.headers), pending.sent, 1));
      } else outcome.failed.push({ itemId: pending.choice.itemId, error: toAppError(innerError(inner), 'decide', what) });
    });
  };

  while (queue.length > 0 && fatal === undefined) {
    const chunks = Array.from({ length: Math.ceil(queue.length / MAX_BATCH) }, (_, n) => queue.slice(n * MAX_BATCH, (n + 1) * MAX_BATCH));
    const retry: Pending[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let chunk = chunks[next++]; chunk !== undefined && fatal === undefined; chunk = chunks[next++]) await send(chunk, retry);
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_BATCHES_IN_FLIGHT, chunks.length) }, worker));
    // After a fatal answer, whatever was neither recorded nor refused (re-sends, chunks never sent) fails below.
    const settled = new Set([...outcome.recorded, ...outcome.failed.map((failure) => failure.itemId)]);
    queue = fatal === undefined ? retry : queue.filter((pending) => !settled.has(pending.choice.itemId));
  }
  if (fatal !== undefined) for (const pending of queue) outcome.failed.push({ itemId: pending.choice.itemId, error: fatal });
  return outcome;
}

/** `acceptRecommendations`: the caller's `NotReviewed` items with an Approve/Deny recommendation take it (204). */
export async function acceptRecommendations(client: Client, definitionId: string, instanceId: string): Promise<void> {
  const what = 'accept the recommendations';
  try {
    await client.api(`${instancePath(definitionId, instanceId)}/acceptRecommendations`).post(undefined);
  } catch (error) {
    throw toAppError(error, 'decide', what);
  }
}
