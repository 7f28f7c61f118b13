import type { Client } from '@microsoft/microsoft-graph-client';
import { instanceSchema, pageOf, parseAnswer } from './answers';
import type { DecisionValue, InstanceAction, ReviewInstance } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter } from './odata';
import { relativeGraphPath } from './requests';
import { z } from 'zod';

/**
 * The administrative side of one review (stop, sendReminder, applyDecisions, resetDecisions, DELETE definition) and
 * what their confirmation cards count. Writes are POST/DELETE without a body; the client retries POSTs only on 429
 * (graphClient.ts), so a 5xx leaves "did it happen?" to the caller, who looks before saying.
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const PAGE = 100;
/** Instance pages read at most (5,000 runs) to find the current one. */
const INSTANCE_PAGES = 50;
/**
 * Decision pages one count reads at most (10,000 items): a confirmation card is made within one turn, so past it the
 * card says "at least" rather than read 100,000 items.
 */
const COUNT_PAGES = 100;

const instancePage = pageOf(instanceSchema);
const idPage = pageOf(z.looseObject({ id: z.string() }));

const definitionPath = (definitionId: string): string => `${DEFINITIONS}/${encodeURIComponent(definitionId)}`;
const instancePath = (definitionId: string, instanceId: string): string =>
  `${definitionPath(definitionId)}/instances/${encodeURIComponent(instanceId)}`;

/** What each action is called when Graph refuses it (names the operation in the 403 answer). */
const ACTION_WHAT: Record<InstanceAction, string> = {
  stop: 'stop the current run of the access review',
  sendReminder: 'send reminders for the access review',
  applyDecisions: 'apply the decisions of the access review',
  resetDecisions: 'reset the decisions of the access review',
};

/** Every instance of a definition (list instances, `@odata.nextLink` followed). */
export async function listInstances(client: Client, definitionId: string): Promise<ReviewInstance[]> {
  const what = 'read the runs of the access review';
  try {
    const instances: ReviewInstance[] = [];
    let request = client.api(`${definitionPath(definitionId)}/instances`).top(PAGE);
    for (let pages = 0; pages < INSTANCE_PAGES; pages += 1) {
      const page = parseAnswer(instancePage, await request.get(), what);
      instances.push(...page.value);
      const next = page['@odata.nextLink'];
      if (next === undefined) return instances;
      request = client.api(relativeGraphPath(next));
    }
    return instances;
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** One instance (404 → NotFound). */
export async function getInstance(client: Client, definitionId: string, instanceId: string): Promise<ReviewInstance> {
  const what = 'read the current run of the access review';
  try {
    return parseAnswer(instanceSchema, await client.api(instancePath(definitionId, instanceId)).get(), what);
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/**
 * How many decision items of an instance have `decision` (all items without one), counted over the list with the
 * documented `$filter=decision eq '…'` and `$select=id` (`@odata.count` is not documented for this list, so the
 * items are counted). `complete` is false past {@link COUNT_PAGES} pages.
 */
export async function countDecisions(client: Client, definitionId: string, instanceId: string, decision?: DecisionValue):
Promise<{ count: number; complete: boolean }> {
  const what = 'count the decisions of the access review';
  try {
    let request = client.api(`${instancePath(definitionId, instanceId)}/decisions`).top(PAGE).select(['id']);
    if (decision !== undefined) request = request.filter(odataFilter`decision eq ${decision}`);
    let count = 0;
    for (let pages = 0; pages < COUNT_PAGES; pages += 1) {
      const page = parseAnswer(idPage, await request.get(), what);
      count += page.value.length;
      const next = page['@odata.nextLink'];
      if (next === undefined) return { count, complete: true };
      request = client.api(relativeGraphPath(next));
    }
    return { count, complete: false };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** POST one of the instance actions (204, no body). */
export async function instanceAction(client: Client, definitionId: string, instanceId: string, action: InstanceAction): Promise<void> {
  try {
    await client.api(`${instancePath(definitionId, instanceId)}/${action}`).post(undefined);
  } catch (error) {
    throw toAppError(error, 'write', ACTION_WHAT[action]);
  }
}

/** DELETE a definition with its instances and decisions (204). */
export async function deleteDefinition(client: Client, definitionId: string): Promise<void> {
  try {
    await client.api(definitionPath(definitionId)).delete();
  } catch (error) {
    throw toAppError(error, 'write', 'delete the access review');
  }
}

/** PUT the full definition (204): `edit`. Graph documents no PATCH for definitions (reference trap 1). */
export async function updateDefinition(client: Client, definitionId: string, body: Record<string, unknown>): Promise<void> {
  try {
    await client.api(definitionPath(definitionId)).put(body);
  } catch (error) {
    throw toAppError(error, 'write', 'change the access review');
  }
}

/** The `what` of an action, for messages built outside the seam. */
export const actionWhat = (action: InstanceAction): string => ACTION_WHAT[action];
