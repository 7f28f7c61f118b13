import type { Client } from '@microsoft/microsoft-graph-client';
import type { DefinitionBody } from '../../reviews/definition';
import { definitionSchema, pageOf, parseAnswer } from './answers';
import type { DefinitionFilter, DefinitionPage, ReviewDefinition } from './apis';
import { toAppError } from './graphErrors';
import { odataFilter, type EncodedFilter } from './odata';

export type { DefinitionFilter, DefinitionPage, ReviewDefinition } from './apis';

const DEFINITIONS = '/identityGovernance/accessReviews/definitions';
const definitionPage = pageOf(definitionSchema);

const STATUS_FILTER: Record<DefinitionFilter, EncodedFilter | undefined> = {
  active: odataFilter`status eq ${'InProgress'}`,
  completed: odataFilter`status eq ${'Completed'}`,
  all: undefined,
};

/** One page of access review definitions (Graph's page size is at most 100). */
export async function listDefinitions(client: Client, filter: DefinitionFilter, top = 100): Promise<DefinitionPage> {
  const what = 'list the access reviews';
  try {
    let request = client.api(DEFINITIONS).top(top)
      .select(['id', 'displayName', 'status', 'scope', 'instanceEnumerationScope', 'reviewers', 'settings', 'createdBy', 'createdDateTime']);
    const condition = STATUS_FILTER[filter];
    if (condition) request = request.filter(condition);
    const page = parseAnswer(definitionPage, await request.get(), what);
    return { definitions: page.value, nextLink: page['@odata.nextLink'] };
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}

/** POST a definition (201 → the created definition). Not retried on 5xx by the client: see safeCreate. */
export async function createDefinition(client: Client, body: DefinitionBody): Promise<ReviewDefinition> {
  const what = 'create the access review';
  try {
    return parseAnswer(definitionSchema, await client.api(DEFINITIONS).post(body), what);
  } catch (error) {
    throw toAppError(error, 'write', what);
  }
}

/** Definitions named exactly `name` (to find a create whose answer was lost). */
export async function findDefinitionsByName(client: Client, name: string): Promise<ReviewDefinition[]> {
  const what = 'check whether the access review was created';
  try {
    const answer: unknown = await client.api(DEFINITIONS).filter(odataFilter`displayName eq ${name}`)
      .select(['id', 'displayName', 'status', 'createdBy', 'createdDateTime', 'descriptionForAdmins']).get();
    return parseAnswer(definitionPage, answer, what).value;
  } catch (error) {
    throw toAppError(error, 'read', what);
  }
}
