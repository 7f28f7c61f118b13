import type { Client } from '@microsoft/microsoft-graph-client';
import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { toAppError } from './graphErrors';
import { odataFilter, type EncodedFilter } from './odata';

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';

export type DefinitionFilter = 'active' | 'completed' | 'all';

export interface DefinitionPage {
  definitions: AccessReviewScheduleDefinition[];
  /** Opaque link to the next page, when there is one. */
  nextLink: string | undefined;
}

const STATUS_FILTER: Record<DefinitionFilter, EncodedFilter | undefined> = {
  active: odataFilter`status eq ${'InProgress'}`,
  completed: odataFilter`status eq ${'Completed'}`,
  all: undefined,
};

/** One page of access review definitions (Graph's page size is at most 100). */
export async function listDefinitions(client: Client, filter: DefinitionFilter, top = 100): Promise<DefinitionPage> {
  try {
    let request = client.api(DEFINITIONS).top(top)
      .select(['id', 'displayName', 'status', 'scope', 'instanceEnumerationScope', 'reviewers', 'settings', 'createdBy', 'createdDateTime']);
    const condition = STATUS_FILTER[filter];
    if (condition) request = request.filter(condition);
    const page = (await request.get()) as { value: AccessReviewScheduleDefinition[]; '@odata.nextLink'?: string };
    return { definitions: page.value, nextLink: page['@odata.nextLink'] };
  } catch (error) {
    throw toAppError(error, 'read', 'list the access reviews');
  }
}

/** POST a definition (201 → the created definition). Not retried on 5xx by the client: see safeCreate. */
export async function createDefinition(client: Client, body: object): Promise<AccessReviewScheduleDefinition> {
  try {
    return (await client.api(DEFINITIONS).post(body)) as AccessReviewScheduleDefinition;
  } catch (error) {
    throw toAppError(error, 'write', 'create the access review');
  }
}

/** Definitions named exactly `name` (to find a create whose answer was lost). */
export async function findDefinitionsByName(client: Client, name: string): Promise<AccessReviewScheduleDefinition[]> {
  try {
    const page = (await client.api(DEFINITIONS).filter(odataFilter`displayName eq ${name}`)
      .select(['id', 'displayName', 'status', 'createdBy', 'createdDateTime', 'descriptionForAdmins']).get()) as { value: AccessReviewScheduleDefinition[] };
    return page.value;
  } catch (error) {
    throw toAppError(error, 'read', 'check whether the access review was created');
  }
}
