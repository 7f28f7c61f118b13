import type { Client } from '@microsoft/microsoft-graph-client';
import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { toAppError } from './graphErrors';

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';

export type DefinitionFilter = 'active' | 'completed' | 'all';

export interface DefinitionPage {
  definitions: AccessReviewScheduleDefinition[];
  /** Opaque link to the next page, when there is one. */
  nextLink: string | undefined;
}

const STATUS_FILTER: Record<DefinitionFilter, string | undefined> = {
  active: "status eq 'InProgress'",
  completed: "status eq 'Completed'",
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
