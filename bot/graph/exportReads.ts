import type { Client } from '@microsoft/microsoft-graph-client';
import { decisionSchema, instanceSchema, pageOf, parseAnswer } from './answers';
import type { ExportedDecision, ExportedInstance, ListPage } from './apis';
import { toAppError } from './graphErrors';
import { relativeGraphPath } from './requests';

/**
 * The reads of `export`, one page at a time so that the caller holds one page in memory, never the whole review:
 * a definition's instances, then each instance's decision items, with the documented `$top` (at most 100) and
 * `$select`, following Graph's `@odata.nextLink` verbatim (made relative for the emulator's http host).
 */

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
/** Graph's largest page on these lists (and its default). */
const PAGE = 100;
const INSTANCE_FIELDS = ['id', 'startDateTime', 'endDateTime', 'status'];
const DECISION_FIELDS = ['id', 'decision', 'justification', 'recommendation', 'applyResult', 'reviewedDateTime', 'appliedDateTime', 'reviewedBy',
  'appliedBy', 'principal'];
const instancePage = pageOf(instanceSchema);
const decisionPage = pageOf(decisionSchema);

async function read(client: Client, path: string, select: string[], link: string | undefined): Promise<unknown> {
  const request = link === undefined ? client.api(path).top(PAGE).select(select) : client.api(relativeGraphPath(link));
  return (await request.get()) as unknown;
}

export async function readInstancesPage(client: Client, definitionId: string, link?: string): Promise<ListPage<ExportedInstance>> {
  const what = 'read the runs of the access review';
  try {
    const answer = await read(client, `${DEFINITIONS}/${encodeURIComponent(definitionId)}/instances`, INSTANCE_FIELDS, link);
    const page = parseAnswer(instancePage, answer, what);
    return { items: page.value, nextLink: page['@odata.nextLink'] };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

export async function readDecisionsPage(client: Client, definitionId: string, instanceId: string, link?: string): Promise<ListPage<ExportedDecision>> {
  const what = 'read the decisions of the access review';
  try {
    const path = `${DEFINITIONS}/${encodeURIComponent(definitionId)}/instances/${encodeURIComponent(instanceId)}/decisions`;
    const page = parseAnswer(decisionPage, await read(client, path, DECISION_FIELDS, link), what);
    return { items: page.value, nextLink: page['@odata.nextLink'] };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}
